using System.Net;
using System.Net.Http.Headers;

namespace Automation.Dashboard.Tests;

/// <summary>How the host serves the dashboard's files, over plain HTTP (no browser).</summary>
public sealed class DashboardServingTests(DashboardHost host) : IClassFixture<DashboardHost>, IDisposable
{
    private readonly HttpClient http = new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.BaseUrl };

    [Theory]
    [InlineData("/")]
    [InlineData("/workflows")]
    [InlineData("/workflows/welcome-new-leads-ab12cd/runs?status=failed")]
    [InlineData("/runs/0123456789abcdef0123-0123456789ab")]
    [InlineData("/records/lead/00Q5e000001AbCd")]
    [InlineData("/dead-letters")]
    [InlineData("/sign-in?next=%2Fdrafts")]
    public async Task Every_client_route_gets_the_page_with_a_same_origin_policy(string path)
    {
        using var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<script type=\"module\" src=\"/js/app.js\"></script>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.True(response.Headers.CacheControl?.NoCache);
    }

    [Theory]
    [InlineData("/js/app.js", "text/javascript")]
    [InlineData("/css/app.css", "text/css")]
    [InlineData("/", "text/html")]
    public async Task Files_are_revalidated_each_time_and_unchanged_ones_answer_304(string path, string mediaType)
    {
        using var first = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(mediaType, first.Content.Headers.ContentType?.MediaType);
        Assert.True(first.Headers.CacheControl?.NoCache);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);

        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(etag.Tag));
        using var again = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
    }

    [Theory]
    [InlineData("/js/no-such-module.js")]
    [InlineData("/api/no-such-endpoint")]
    [InlineData("/no-such-page")]
    public async Task A_missing_file_or_an_address_outside_the_dashboard_is_a_404_problem_not_the_page(string path)
    {
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    public void Dispose() => http.Dispose();
}
