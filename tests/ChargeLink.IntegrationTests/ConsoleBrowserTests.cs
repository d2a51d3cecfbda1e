using System.Diagnostics;
using System.Text.Json.Nodes;
using ChargeLink.Domain.Groups;
using ChargeLink.IntegrationTests.Support;
using ChargeLink.Simulators;
using Microsoft.Playwright;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// The operator's console in a real browser: Debian's chromium, headless, driven by Playwright by its executable path
/// (`make test` installs it; CHARGELINK_CHROMIUM names another). The operator signs in with the token, watches a site
/// while a station plugs in, is paid for, charges and stops, and sees every step without reloading the page; then finds
/// a voided payment by its id and reads why; an operator unlocks a connector, takes another out of service and stops a
/// session from the console, and sees each act and the station's answer on the site and in the payment's story as they
/// happen. CHARGELINK_CONSOLE_SCREENSHOT and CHARGELINK_CONSOLE_ACTS_SCREENSHOT, if set, are where the site page is saved
/// during the session and after the acts.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ConsoleBrowserTests : SystemFixture
{
    private static readonly TimeSpan Live = TimeSpan.FromSeconds(10);
    private const int Watched = 0, Voided = 1, Acted = 2;

    private readonly List<string> _said = [];
    private readonly List<IPage> _pages = [];
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["CHARGELINK_PAYMENT_WAIT_SECONDS"] = "3",
    };

    protected override int Groups => 3;

    [OneTimeSetUp]
    public async Task StartBrowser()
    {
        var chromium = Environment.GetEnvironmentVariable("CHARGELINK_CHROMIUM") is { Length: > 0 } given ? given : "/usr/bin/chromium";
        Assert.That(File.Exists(chromium), Is.True, $"{chromium} is missing: `make test` installs Debian's chromium (infra/browser.sh), or set CHARGELINK_CHROMIUM");
        _playwright = await Playwright.CreateAsync();
        // Root in a container has no user namespaces for chromium's sandbox; the page is our own, on loopback.
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox"] });
    }

    [TearDown]
    public async Task ShowThePageOnFailure()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
        {
            foreach (var line in _said)
                TestContext.Out.WriteLine(line);
            foreach (var page in _pages)
                TestContext.Out.WriteLine($"{page.Url}:\n{await page.InnerHTMLAsync("body")}");
        }
        foreach (var page in _pages)
            await page.Context.CloseAsync();
        _pages.Clear();
        _said.Clear();
    }

    [OneTimeTearDown]
    public async Task StopBrowser()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }

    private async Task<IPage> SignedIn(string hash)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1100, Height = 900 } });
        var page = await context.NewPageAsync();
        // What the page itself said, shown when a test fails.
        page.Console += (_, message) => _said.Add($"console {message.Type}: {message.Text}");
        page.PageError += (_, error) => _said.Add($"page error: {error}");
        _pages.Add(page);
        await page.GotoAsync(new Uri(Deployment.OrchestratorUrl, "/console" + hash).ToString());
        await page.GetByLabel("operator token").FillAsync("dev-operator");
        await page.GetByRole(AriaRole.Button, new() { Name = "sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator(".sign-in .error")).ToContainTextAsync("not the operator's token");
        await page.GetByLabel("operator token").FillAsync(Deployment.OperatorToken);
        await page.GetByRole(AriaRole.Button, new() { Name = "sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator("#live")).ToHaveTextAsync("live", new() { Timeout = (float)Live.TotalMilliseconds });
        // The development operator of CHARGELINK_OPERATOR_TOKEN is named "operator", with the role operator.
        await Assertions.Expect(page.Locator("#who")).ToHaveTextAsync("signed in as operator (operator)");
        return page;
    }

    [Test]
    public async Task A_site_page_shows_a_session_from_plug_in_to_capture_live_without_a_reload()
    {
        var group = Deployment.GroupIdOf(Watched);
        var page = await SignedIn($"#/site/{group}");
        var tile = page.Locator($"[data-connector=\"{Deployment.ChargePointIdOf(Watched)}/1\"]");
        await Assertions.Expect(tile).ToHaveAttributeAsync("data-state", "Offline");
        await Assertions.Expect(tile).ToContainTextAsync("never connected");
        // Set once: a reload would lose it.
        await page.EvaluateAsync("() => window.__sameDocument = true");

        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointIdOf(Watched));
        var clock = Stopwatch.StartNew();
        await station.Call("StatusNotification", new JsonObject { ["connectorId"] = 1, ["errorCode"] = "NoError", ["status"] = "Preparing" });
        await Assertions.Expect(tile).ToHaveAttributeAsync("data-state", "Occupied", new() { Timeout = (float)Live.TotalMilliseconds });
        TestContext.Out.WriteLine($"plug-in to tile: {clock.ElapsedMilliseconds} ms");

        var paymentId = $"pay_console_{Deployment.RunId}";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalIdOf(Watched), amountMinor: 5000));
        var remoteStart = await station.NextCallFromGateway(TimeSpan.FromSeconds(15));
        await Assertions.Expect(tile).ToHaveAttributeAsync("data-state", "Starting", new() { Timeout = (float)Live.TotalMilliseconds });
        await station.Answer(remoteStart, new JsonObject { ["status"] = "Accepted" });
        var start = await station.Call("StartTransaction", new JsonObject
        {
            ["connectorId"] = 1,
            ["idTag"] = remoteStart[3]!["idTag"]!.GetValue<string>(),
            ["meterStart"] = 1000,
            ["timestamp"] = Now(),
        });
        clock.Restart();
        await Assertions.Expect(tile).ToHaveAttributeAsync("data-state", "Charging", new() { Timeout = (float)Live.TotalMilliseconds });
        TestContext.Out.WriteLine($"StartTransaction answered to tile charging: {clock.ElapsedMilliseconds} ms");
        await Assertions.Expect(page.Locator($"[data-session=\"{paymentId}\"]")).ToBeVisibleAsync();
        await station.Call("MeterValues", new JsonObject
        {
            ["connectorId"] = 1,
            ["transactionId"] = start[2]!["transactionId"]!.GetValue<int>(),
            ["meterValue"] = new JsonArray(new JsonObject { ["timestamp"] = Now(), ["sampledValue"] = new JsonArray(new JsonObject { ["value"] = "6000", ["unit"] = "Wh" }) }),
        });
        // 6,000 Wh on the register, 1,000 at the start.
        await Assertions.Expect(tile).ToContainTextAsync("5.00 kWh so far", new() { Timeout = (float)Live.TotalMilliseconds });
        if (Environment.GetEnvironmentVariable("CHARGELINK_CONSOLE_SCREENSHOT") is { Length: > 0 } screenshot)
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });

        await station.Call("StopTransaction", new JsonObject
        {
            ["transactionId"] = start[2]!["transactionId"]!.GetValue<int>(),
            ["meterStop"] = 1000 + 27_420,
            ["timestamp"] = Now(),
        });
        var settled = page.Locator($"[data-settled=\"{paymentId}\"]");
        await Assertions.Expect(settled).ToHaveAttributeAsync("data-status", "Captured", new() { Timeout = (float)Live.TotalMilliseconds });
        // 27,420 Wh at 45 cents a kWh: 12.34 EUR of the 50.00 held (the browser's own number format, so digits only).
        Assert.That(await settled.InnerTextAsync(), Does.Contain("12").And.Contain("34").And.Contain("27.42 kWh"));

        // The station leaves: its tiles say so, with what the connector last reported.
        await station.DisposeAsync();
        await Assertions.Expect(tile).ToHaveAttributeAsync("data-state", "Offline", new() { Timeout = (float)Live.TotalMilliseconds });
        await Assertions.Expect(tile).ToContainTextAsync("last reported: finishing");
        Assert.That(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), Is.True, "the page was updated in place, never reloaded");
    }

    [Test]
    public async Task An_operator_unlocks_takes_out_of_service_and_stops_from_the_console_and_sees_each_act_answered_live()
    {
        var (group, chargePointId) = (Deployment.GroupIdOf(Acted), Deployment.ChargePointIdOf(Acted));
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, chargePointId);
        await station.Call("StatusNotification", new JsonObject { ["connectorId"] = 1, ["errorCode"] = "NoError", ["status"] = "Preparing" });
        var paymentId = $"pay_console_acts_{Deployment.RunId}";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalIdOf(Acted), amountMinor: 5000));
        var remoteStart = await station.NextCallFromGateway(TimeSpan.FromSeconds(15));
        await station.Answer(remoteStart, new JsonObject { ["status"] = "Accepted" });
        var start = await station.Call("StartTransaction", new JsonObject
        {
            ["connectorId"] = 1,
            ["idTag"] = remoteStart[3]!["idTag"]!.GetValue<string>(),
            ["meterStart"] = 1000,
            ["timestamp"] = Now(),
        });
        var transactionId = start[2]!["transactionId"]!.GetValue<int>();

        var page = await SignedIn($"#/site/{group}");
        await page.EvaluateAsync("() => window.__sameDocument = true");
        // Each act asks why (a prompt, or the form's field) and to confirm; the operator answers.
        var asked = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            asked.Add(dialog.Message);
            await dialog.AcceptAsync("cable stuck, driver on the phone");
        };
        var tile = page.Locator($"[data-connector=\"{chargePointId}/1\"]");
        await Assertions.Expect(tile).ToHaveAttributeAsync("data-state", "Charging", new() { Timeout = (float)Live.TotalMilliseconds });

        // A charging tile offers the stop too; a tile with no session does not.
        await Assertions.Expect(tile.Locator("button[data-act=stop-session]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator($"[data-connector=\"{chargePointId}/2\"] button[data-act=stop-session]")).ToHaveCountAsync(0);

        await tile.Locator("button[data-act=unlock-connector]").ClickAsync();
        var unlock = await station.NextCallFromGateway(TimeSpan.FromSeconds(15));
        Assert.That((unlock[2]!.GetValue<string>(), unlock[3]!["connectorId"]!.GetValue<int>()), Is.EqualTo(("UnlockConnector", 1)));
        await station.Answer(unlock, new JsonObject { ["status"] = "Unlocked" });
        var unlockRow = page.Locator("tr[data-act-id]", new() { HasText = "unlock-connector" });
        await Assertions.Expect(unlockRow).ToHaveAttributeAsync("data-answer", "Unlocked", new() { Timeout = (float)Live.TotalMilliseconds });
        await Assertions.Expect(unlockRow).ToContainTextAsync("cable stuck, driver on the phone");

        var second = page.Locator($"[data-connector=\"{chargePointId}/2\"]");
        await second.Locator("button[data-act=take-out-of-service]").ClickAsync();
        var inoperative = await station.NextCallFromGateway(TimeSpan.FromSeconds(15));
        Assert.That((inoperative[2]!.GetValue<string>(), inoperative[3]!["type"]!.GetValue<string>()), Is.EqualTo(("ChangeAvailability", "Inoperative")));
        await station.Answer(inoperative, new JsonObject { ["status"] = "Accepted" });
        await Assertions.Expect(second).ToHaveAttributeAsync("data-out-of-service", "operator", new() { Timeout = (float)Live.TotalMilliseconds });
        await Assertions.Expect(second.Locator("button[data-act=return-to-service]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("tr[data-act-id]", new() { HasText = "take-out-of-service" }))
            .ToHaveAttributeAsync("data-answer", "Accepted", new() { Timeout = (float)Live.TotalMilliseconds });
        if (Environment.GetEnvironmentVariable("CHARGELINK_CONSOLE_ACTS_SCREENSHOT") is { Length: > 0 } screenshot)
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });

        // The session's page, by its link on the tile; the stop asks why in its form, then to confirm.
        await tile.GetByRole(AriaRole.Link, new() { Name = paymentId }).ClickAsync();
        var form = page.Locator("form[data-act=stop-session]");
        await form.GetByLabel("reason").FillAsync("driver asked to stop by phone");
        await form.GetByRole(AriaRole.Button, new() { Name = "stop session" }).ClickAsync();
        var stop = await station.NextCallFromGateway(TimeSpan.FromSeconds(15));
        Assert.That((stop[2]!.GetValue<string>(), stop[3]!["transactionId"]!.GetValue<int>()), Is.EqualTo(("RemoteStopTransaction", transactionId)));
        var story = page.Locator(".story");
        await Assertions.Expect(story).ToContainTextAsync("operator: stop-session on", new() { Timeout = (float)Live.TotalMilliseconds });
        await Assertions.Expect(story).ToContainTextAsync("(driver asked to stop by phone)");
        await station.Answer(stop, new JsonObject { ["status"] = "Accepted" });
        await Assertions.Expect(story).ToContainTextAsync(": Accepted", new() { Timeout = (float)Live.TotalMilliseconds });
        await station.Call("StopTransaction", new JsonObject { ["transactionId"] = transactionId, ["meterStop"] = 1000 + 4000, ["timestamp"] = Now() });
        await Assertions.Expect(page.Locator("[data-payment-status]")).ToHaveAttributeAsync("data-payment-status", "Captured", new() { Timeout = (float)Live.TotalMilliseconds });

        var sameDocument = await page.EvaluateAsync<bool>("() => window.__sameDocument === true");
        Assert.Multiple(() =>
        {
            Assert.That(asked, Has.Count.EqualTo(3), string.Join("\n", asked));
            Assert.That(asked[^1], Does.Contain($"Stop the session of payment {paymentId}"));
            Assert.That(sameDocument, Is.True, "the page was updated in place, never reloaded");
        });
    }

    [Test]
    public async Task A_voided_payment_found_by_its_id_tells_its_story_and_why()
    {
        var paymentId = $"pay_nobody_{Deployment.RunId}";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalIdOf(Voided)));
        await Eventually.True(async () => (await GroupEvents(Deployment.GroupIdOf(Voided))).OfType<PaymentVoidRequested>().Any(v => v.PaymentId == paymentId),
            TimeSpan.FromSeconds(20), "the payment is voided after its 3 s wait");

        var page = await SignedIn("");
        await page.GetByLabel("find a payment by its id").FillAsync(paymentId);
        await page.GetByLabel("find a payment by its id").PressAsync("Enter");
        await Assertions.Expect(page.Locator("[data-payment-status]")).ToHaveAttributeAsync("data-payment-status", "Voided");
        await Assertions.Expect(page.Locator("[data-payment-status]")).ToContainTextAsync(VoidReason.NoConnectorOccupied);
        var story = await page.Locator(".story li").AllInnerTextsAsync();
        Assert.Multiple(() =>
        {
            Assert.That(story, Has.Count.GreaterThanOrEqualTo(2), string.Join("\n", story));
            Assert.That(story[0], Does.Contain("no connector was occupied, so the payment waited"), "why it waited, in the operator's words");
            Assert.That(story[^1], Does.Contain(VoidReason.NoConnectorOccupied), "why it was voided");
        });
    }
}
