using System.Net;
using System.Net.Http.Headers;

namespace Automation.Host.Tests;

public sealed class AdminAuthenticationTests(HostFactory host) : IClassFixture<HostFactory>
{
    [Fact]
    public async Task Admin_endpoints_answer_401_problem_without_a_key()
    {
        var response = await host.CreateClient().GetAsync("/api/actions");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Bearer", (await response.ReadAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Admin_endpoints_answer_401_with_a_wrong_key()
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-key");

        var response = await client.GetAsync("/api/actions");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData(HostFactory.AdminKey)]
    [InlineData(HostFactory.RotatedAdminKey)]
    public async Task Every_configured_key_is_accepted_so_keys_can_be_rotated(string key)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        var response = await client.GetAsync("/api/actions");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Health_needs_no_key()
    {
        var response = await host.CreateClient().GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void A_key_that_is_a_prefix_of_a_configured_key_does_not_match()
    {
        Assert.False(Automation.Api.Security.AdminKeyAuthenticationHandler.Matches([HostFactory.AdminKey], HostFactory.AdminKey[..10]));
        Assert.False(Automation.Api.Security.AdminKeyAuthenticationHandler.Matches([], string.Empty));
        Assert.False(Automation.Api.Security.AdminKeyAuthenticationHandler.Matches([string.Empty], string.Empty));
    }
}
