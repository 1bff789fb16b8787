namespace Automation.Dashboard.Tests;

[Collection(DashboardCollection.Name)]
public sealed class SignInTests(BrowserFixture browser, DashboardHost host) : IClassFixture<DashboardHost>
{
    [Fact]
    public async Task A_wrong_key_is_refused_in_plain_words_and_the_right_one_opens_the_workflow_grid()
    {
        await using var s = await Session.StartAsync(browser, host, signedIn: false);
        await s.GoAsync("/");

        await Expect(s.Page).ToHaveURLAsync(Session.Text("/sign-in$"));
        await Expect(s.Page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to the dashboard" })).ToBeVisibleAsync();
        await s.ScreenshotAsync("sign-in");

        await s.Page.GetByLabel("Admin key").FillAsync("not-the-key");
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(s.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("That key was not accepted");

        await s.Page.GetByLabel("Admin key").FillAsync(DashboardHost.AdminKey);
        await s.Page.GetByLabel("Admin key").PressAsync("Enter");
        await Expect(s.Page.GetByRole(AriaRole.Heading, new() { Name = "Workflows", Exact = true })).ToBeVisibleAsync();
        await Expect(s.Page.GetByText("No workflows yet")).ToBeVisibleAsync();
        Assert.Equal(DashboardHost.AdminKey, await s.Page.EvaluateAsync<string>("() => sessionStorage.getItem('automation.adminKey')"));
        s.AssertNoScriptErrors();
    }

    [Fact]
    public async Task A_link_opened_before_signing_in_is_where_signing_in_leads()
    {
        await using var s = await Session.StartAsync(browser, host, signedIn: false);
        await s.GoAsync("/dead-letters");
        await Expect(s.Page).ToHaveURLAsync(Session.Text("/sign-in\\?next=%2Fdead-letters$"));

        await s.Page.GetByLabel("Admin key").FillAsync(DashboardHost.AdminKey);
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(s.Page).ToHaveURLAsync(Session.Text("/dead-letters$"));
        await Expect(s.Page.GetByRole(AriaRole.Heading, new() { Name = "Dead letters", Exact = true })).ToBeVisibleAsync();
        s.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Signing_out_forgets_the_key()
    {
        await using var s = await Session.StartAsync(browser, host, signedIn: false);
        await s.GoAsync("/sign-in");
        await s.Page.GetByLabel("Admin key").FillAsync(DashboardHost.AdminKey);
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(s.Page.GetByRole(AriaRole.Heading, new() { Name = "Workflows", Exact = true })).ToBeVisibleAsync();

        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Expect(s.Page).ToHaveURLAsync(Session.Text("/sign-in$"));
        Assert.Null(await s.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('automation.adminKey')"));
        await s.GoAsync("/workflows");
        await Expect(s.Page).ToHaveURLAsync(Session.Text("/sign-in\\?next=%2Fworkflows$"));
        s.AssertNoScriptErrors();
    }

    [Fact]
    public async Task A_key_the_host_stops_accepting_sends_the_admin_back_to_sign_in_with_a_reason()
    {
        await using var s = await Session.StartAsync(browser, host, signedIn: false);
        await s.Context.AddInitScriptAsync("window.sessionStorage.setItem('automation.adminKey', 'a-key-that-was-rotated-out');");
        await s.GoAsync("/workflows");

        await Expect(s.Page).ToHaveURLAsync(Session.Text("/sign-in\\?expired=1&next=%2Fworkflows$"));
        await Expect(s.Page.GetByText("Your session ended")).ToBeVisibleAsync();
        s.AssertNoScriptErrors();
    }
}
