using System.Net;
using System.Net.Http.Headers;

namespace Automation.Dashboard.Tests;

/// <summary>How the host serves the dashboard's files, over plain HTTP (no browser).</summary>
public sealed class DashboardServingTests(DashboardHost host) : IClassFixture<DashboardHost>, IDisposable
{
    private readonly HttpClient http = new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.BaseUrl };

    [Fact]
    public async Task The_root_redirects_to_the_dashboard()
    {
        using var response = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/app/", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("/app")]
    [InlineData("/app/")]
    [InlineData("/app/workflows/welcome-new-leads-ab12cd/runs?status=failed")]
    [InlineData("/app/runs/0123456789abcdef0123-0123456789ab")]
    [InlineData("/app/records/lead/00Q5e000001AbCd")]
    public async Task Every_client_route_gets_the_page_with_a_same_origin_policy(string path)
    {
        using var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<script type=\"module\" src=\"/app/js/app.js\"></script>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.True(response.Headers.CacheControl?.NoCache);
    }

    [Theory]
    [InlineData("/app/js/app.js", "text/javascript")]
    [InlineData("/app/css/app.css", "text/css")]
    [InlineData("/app/")]
    public async Task Files_are_revalidated_each_time_and_unchanged_ones_answer_304(string path, string? mediaType = null)
    {
        using var first = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        if (mediaType is not null)
        {
            Assert.Equal(mediaType, first.Content.Headers.ContentType?.MediaType);
        }

        Assert.True(first.Headers.CacheControl?.NoCache);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);

        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(etag.Tag));
        using var again = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
    }

    [Theory]
    [InlineData("/app/js/no-such-module.js")]
    [InlineData("/workflows")]
    [InlineData("/api/no-such-endpoint")]
    public async Task A_missing_file_or_an_unknown_address_outside_the_dashboard_is_a_404_problem_not_the_page(string path)
    {
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    public void Dispose() => http.Dispose();
}
