using System.Text.Json.Nodes;
using ChargeLink.Contracts;
using ChargeLink.Domain.Groups;
using ChargeLink.IntegrationTests.Support;
using ChargeLink.Simulators;
using Npgsql;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// The auditor's commands on the event log the real services wrote, and the hash chain against edits made
/// directly in PostgreSQL with SQL, as someone with database access would make them. The commands read as the
/// auditors' read-only role, as they do by default (what that role may not do: AuditTests.ReadOnlyRole.cs).
/// </summary>
[TestFixture]
public sealed partial class AuditTests : SystemFixture
{
    // A group of its own for the whole session the read-only commands look at, and for each tampering, so one
    // test's damage never shows in another's stream.
    private const int Story = 0, Edited = 1, Deleted = 2, Inserted = 3, Replayed = 4, Snapshotted = 5, Formula = 6;

    protected override int Groups => 7;

    private Task<string>? _session;

    [Test]
    public async Task Explain_tells_which_connector_was_chosen_and_why_and_how_the_capture_was_priced()
    {
        var paymentId = await Session();
        var (code, output) = await Audit("explain", "--payment", paymentId);
        Assert.That(code, Is.Zero);
        Assert.That(output, Does.Contain($"payment {paymentId}, group {Deployment.GroupIdOf(Story)}:"));
        Assert.That(output, Does.Contain("2 connector(s) were occupied and waiting"));
        Assert.That(output, Does.Contain($"given connector {Deployment.ChargePointIdOf(Story)}/3").And.Contain("of the 2 candidate(s) it could use").And.Contain("the one occupied earliest (rule 6)"));
        Assert.That(output, Does.Contain("27420 Wh x 45 EUR minor units per kWh = 1234").And.Contain("capture of 1234 EUR minor units requested"));
    }

    [Test]
    public async Task The_timeline_lists_the_group_s_events_in_order_in_words_and_as_JSON()
    {
        var paymentId = await Session();
        var (code, text) = await Audit("timeline", "--group", Deployment.GroupIdOf(Story));
        Assert.That(code, Is.Zero);
        var order = new[] { "connector occupied", "connector occupied", "payment authorized", "start requested", "start accepted", "charging started", "charging stopped", "capture" };
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines.Select(l => order.FirstOrDefault(l.Contains)).OfType<string>(), Is.EqualTo(order));

        var (_, json) = await Audit("timeline", "--group", Deployment.GroupIdOf(Story), "--payment", paymentId, "--json");
        var events = json.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.That(events.Select(e => e["paymentId"]!.GetValue<string>()), Is.All.EqualTo(paymentId), "--payment keeps that payment's events only");
        Assert.That(events.Select(e => e["version"]!.GetValue<long>()), Is.Ordered.Ascending.And.Unique);
        Assert.That(events.Last()["data"]!["AmountMinor"]!.GetValue<long>(), Is.EqualTo(1234));
    }

    [Test]
    public async Task Export_writes_one_row_per_payment_with_its_session_as_CSV_and_JSON_lines()
    {
        var paymentId = await Session();
        var (_, csv) = await Audit("export", "--format", "csv");
        var header = csv.Split('\n')[0];
        Assert.That(header, Does.StartWith("payment_id,group_id,terminal_id,status,held_minor,captured_minor,currency,energy_wh"));
        var row = csv.Split('\n').Single(l => l.StartsWith(paymentId + ",", StringComparison.Ordinal));
        Assert.That(row, Does.StartWith($"{paymentId},{Deployment.GroupIdOf(Story)},{Deployment.TerminalIdOf(Story)},Captured,5000,1234,EUR,27420,"));

        var (_, jsonl) = await Audit("export", "--format", "jsonl");
        var record = jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).Single(r => r["PaymentId"]!.GetValue<string>() == paymentId);
        Assert.That((record["SessionId"]!.GetValue<string>(), record["MeterStopWh"]!.GetValue<long>()), Is.EqualTo(($"{Deployment.ChargePointIdOf(Story)}-3-{record["TransactionId"]}", 28420L)));
    }

    [Test]
    public async Task A_payment_id_a_spreadsheet_would_run_as_a_formula_is_exported_as_text()
    {
        // Printable ASCII, no space: a valid paymentId, chosen by whoever holds the payment cloud's account.
        var paymentId = $"=HYPERLINK(\"http://evil.example/{Deployment.RunId}\")";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalIdOf(Formula)));
        await Eventually.True(async () => (await GroupEvents(Deployment.GroupIdOf(Formula))).OfType<PaymentAuthorizationReceived>().Any(), TimeSpan.FromSeconds(15), "the payment waits");

        var (_, csv) = await Audit("export", "--format", "csv");
        var row = csv.Split('\n').Single(l => l.Contains(Deployment.RunId + "\"\"", StringComparison.Ordinal) && l.Contains("HYPERLINK", StringComparison.Ordinal));
        // Quoted for its quotes, and the cell's text begins with an apostrophe: a spreadsheet shows it, never runs it.
        Assert.That(row, Does.StartWith($"\"'=HYPERLINK(\"\"http://evil.example/{Deployment.RunId}\"\")\",{Deployment.GroupIdOf(Formula)},"));
    }

    [Test]
    public async Task The_read_API_shows_groups_sessions_and_payments()
    {
        var paymentId = await Session();
        using var http = Deployment.OperatorClient();
        var payment = JsonNode.Parse(await http.GetStringAsync($"/payments/{paymentId}"))!;
        Assert.That((payment["status"]!.GetValue<string>(), payment["capturedMinor"]!.GetValue<long>()), Is.EqualTo(("Captured", 1234L)));
        Assert.That((await http.GetAsync("/payments/pay_never_seen")).StatusCode, Is.EqualTo(System.Net.HttpStatusCode.NotFound));

        var sessions = JsonNode.Parse(await http.GetStringAsync($"/sessions?group={Deployment.GroupIdOf(Story)}"))!.AsArray();
        Assert.That(sessions.Select(x => x!["paymentId"]!.GetValue<string>()), Is.EqualTo(new[] { paymentId }));

        var group = JsonNode.Parse(await http.GetStringAsync($"/groups/{Deployment.GroupIdOf(Story)}"))!;
        var connectors = group["connectors"]!.AsArray();
        // The first group: its main station, the one with a password and the third one, with one connector each of the last two.
        Assert.That(connectors, Has.Count.EqualTo(ChargeLinkSystem.ConnectorCount + 2), "every connector of the topology");
        Assert.That(connectors.Single(c => c!["connectorId"]!.GetValue<int>() == 5 && c["chargePointId"]!.GetValue<string>() == Deployment.ChargePointIdOf(Story))!["state"]!.GetValue<string>(), Is.EqualTo("Occupied"));

        var groups = JsonNode.Parse(await http.GetStringAsync("/groups"))!.AsArray();
        Assert.That(groups.Select(g => g!["groupId"]!.GetValue<string>()), Does.Contain(Deployment.GroupIdOf(Story)));
    }

    [Test]
    public async Task Replay_rebuilds_the_read_models_from_the_events_and_names_what_differs_from_what_is_stored()
    {
        var paymentId = $"pay_replayed_{Deployment.RunId}";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalIdOf(Replayed)));
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Cancellation(paymentId));
        await Eventually.True(async () => (await GroupEvents(Deployment.GroupIdOf(Replayed))).OfType<PaymentCancelled>().Any(), TimeSpan.FromSeconds(15), "the payment is cancelled");

        var (code, output) = await Audit("replay", "--group", Deployment.GroupIdOf(Replayed));
        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.Contain("1 payment(s): everything stored matches the events"));

        await Sql($"update \"{Deployment.Schema}\".mt_doc_payment_record set data = jsonb_set(data, '{{Status}}', '\"Captured\"') where data ->> 'StreamId' = $1::text", GroupCorrelation.IdOf(Deployment.GroupIdOf(Replayed)));
        (code, output) = await Audit("replay", "--group", Deployment.GroupIdOf(Replayed));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain($"payment {paymentId}: Status is \"Captured\" stored, \"Cancelled\" from the events"));

        // Without the topology (a group since removed from it, or an auditor without the file) the difference still
        // names its group, from the stored summary, whose group is the stream's own (its id derives from the group's).
        var stream = GroupCorrelation.IdOf(Deployment.GroupIdOf(Replayed));
        (code, output) = await Audit(withTopology: false, "replay", "--group", Deployment.GroupIdOf(Replayed));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain($"group {Deployment.GroupIdOf(Replayed)} (stream {stream}): payment {paymentId}: Status is"));
    }

    [Test]
    public async Task Replay_checks_the_state_kept_for_cold_starts_against_the_fold_of_the_events_up_to_it()
    {
        var group = Deployment.GroupIdOf(Snapshotted);
        var paymentId = $"pay_snapshot_{Deployment.RunId}";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalIdOf(Snapshotted)));
        await Eventually.True(async () => (await GroupEvents(group)).OfType<PaymentAuthorizationReceived>().Any(), TimeSpan.FromSeconds(15), "the payment waits");
        var events = (await GroupEvents(group)).Cast<IGroupEvent>().ToList();
        var folded = GroupState.Fold(events);
        Assert.That(folded.Waiting(paymentId), Is.Not.Null, "the state a cold start would load holds the waiting payment");

        // What the orchestrator keeps every 100 events, written here for this short stream as it would be written.
        await KeepSnapshot(group, events.Count, GroupSnapshot.Of(folded).ToJson());
        var (code, output) = await Audit("replay", "--group", group);
        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.Contain("everything stored matches the events"));

        // Someone with write access drops the waiting payment from the snapshot: a cold start would never start or void it.
        await KeepSnapshot(group, events.Count, GroupSnapshot.Of(folded with { WaitingPayments = [] }).ToJson());
        (code, output) = await Audit("replay", "--group", group);
        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain($"snapshot at version {events.Count} is not the fold of the events up to it"));
    }

    // A whole-log replay reads every stored summary in one query, keyed by stream; the expected summary is the one the
    // per-stream read finds (the one-group replay's path) for a group whose events the test caused.
    [Test]
    public async Task A_whole_log_replay_finds_each_group_s_stored_summary_under_its_stream()
    {
        var paymentId = await Session();
        var stream = GroupCorrelation.IdOf(Deployment.GroupIdOf(Story));
        await using var stored = new ChargeLink.Cli.Audit.StoredReadModels(RealServices.Postgres, Deployment.Schema);
        var one = await stored.Summary(stream, CancellationToken.None);
        var all = await stored.Summaries(CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(one, Is.Not.Null, $"the story's group has a stored summary (payment {paymentId})");
            Assert.That(all.Keys, Does.Contain(stream));
            Assert.That(all[stream].GroupId, Is.EqualTo(Deployment.GroupIdOf(Story)));
            Assert.That(all[stream].StreamId, Is.EqualTo(one!.StreamId));
        });
    }

    private async Task KeepSnapshot(string group, long version, string state)
    {
        await using var session = EventStore.LightweightSession();
        session.Store(new ChargeLink.Orchestrator.Storing.StreamSnapshot { Id = GroupCorrelation.IdOf(group), Version = version, Chain = "", State = state, TakenAt = DateTimeOffset.UtcNow });
        await session.SaveChangesAsync();
    }

    // One whole session, shared by the read-only tests: connectors 3 then 5 occupied, a payment, a start on 3
    // (the earliest), 27,420 Wh, a capture of 1,234.
    private Task<string> Session() => _session ??= RunSession();

    private async Task<string> RunSession()
    {
        var paymentId = $"pay_story_{Deployment.RunId}";
        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointIdOf(Story));
        foreach (var connector in new[] { 3, 5 })
        {
            await station.Call("StatusNotification", new JsonObject { ["connectorId"] = connector, ["errorCode"] = "NoError", ["status"] = "Preparing" });
            await Eventually.True(async () => (await GroupEvents(Deployment.GroupIdOf(Story))).OfType<ConnectorOccupied>().Any(o => o.ConnectorId == connector), TimeSpan.FromSeconds(10), $"connector {connector} waits");
        }
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalIdOf(Story)));
        var remoteStart = await station.NextCallFromGateway(TimeSpan.FromSeconds(15));
        await station.Answer(remoteStart, new JsonObject { ["status"] = "Accepted" });
        // The answer and the StartTransaction travel as different messages; waiting makes the story's order fixed.
        await Eventually.True(async () => (await GroupEvents(Deployment.GroupIdOf(Story))).OfType<RemoteStartAccepted>().Any(), TimeSpan.FromSeconds(10), "the start accepted");
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var start = await station.Call("StartTransaction", new JsonObject { ["connectorId"] = 3, ["idTag"] = remoteStart[3]!["idTag"]!.GetValue<string>(), ["meterStart"] = 1000, ["timestamp"] = now });
        await Eventually.True(async () => (await GroupEvents(Deployment.GroupIdOf(Story))).OfType<ChargingStarted>().Any(), TimeSpan.FromSeconds(10), "charging recorded");
        await station.Call("StopTransaction", new JsonObject { ["transactionId"] = start[2]!["transactionId"]!.GetValue<int>(), ["meterStop"] = 1000 + 27_420, ["timestamp"] = now });
        await Eventually.True(async () => (await GroupEvents(Deployment.GroupIdOf(Story))).OfType<PaymentCaptureRequested>().Any(), TimeSpan.FromSeconds(10), "the capture decided");
        return paymentId;
    }

    [Test]
    public async Task An_event_edited_in_PostgreSQL_is_named_by_verify()
    {
        var stream = await ThreeEvents(Edited);
        Assert.That((await Audit("verify", "--group", Deployment.GroupIdOf(Edited))).Code, Is.Zero, "intact before the edit");

        await Sql($"update {Events} set data = jsonb_set(data, '{{AmountMinor}}', '1') where stream_id = $1 and version = 2", stream);

        var (code, output) = await Audit("verify", "--group", Deployment.GroupIdOf(Edited));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain($"FAILED group {Deployment.GroupIdOf(Edited)}").And.Contain("event 2 (payment_authorization_received_v1, seq").And.Contain("edited"));
    }

    [Test]
    public async Task An_event_deleted_in_PostgreSQL_is_named_by_verify()
    {
        var stream = await ThreeEvents(Deleted);
        Assert.That((await Audit("verify", "--group", Deployment.GroupIdOf(Deleted))).Code, Is.Zero, "intact before the tamper");
        await Sql($"delete from {Events} where stream_id = $1 and version = 2", stream);

        var (code, output) = await Audit("verify", "--group", Deployment.GroupIdOf(Deleted));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain("version 2 is missing: deleted"));
    }

    [Test]
    public async Task An_event_inserted_in_PostgreSQL_is_named_by_verify()
    {
        var stream = await ThreeEvents(Inserted);
        Assert.That((await Audit("verify", "--group", Deployment.GroupIdOf(Inserted))).Code, Is.Zero, "intact before the tamper");
        // A forged fourth payment, with the last genuine event's link copied onto it.
        await Sql($$"""
            insert into {{Events}} (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, is_archived, headers)
            select seq_id + 1000000, gen_random_uuid(), stream_id, 4, jsonb_set(data, '{PaymentId}', '"pay_forged"'), type, timestamp, tenant_id, mt_dotnet_type, is_archived, headers
            from {{Events}} where stream_id = $1 and version = 3
            """, stream);

        var (code, output) = await Audit("verify", "--group", Deployment.GroupIdOf(Inserted));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain("event 4 (payment_authorization_received_v1, seq"));
    }

    private string Events => $"\"{Deployment.Schema}\".mt_events";

    // Three payments reach the group: its stream holds versions 1-3.
    private async Task<Guid> ThreeEvents(int group)
    {
        for (var i = 1; i <= 3; i++)
            await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization($"pay_{group}_{i}_{Deployment.RunId}", Deployment.TerminalIdOf(group)));
        await Eventually.True(async () => (await GroupEvents(Deployment.GroupIdOf(group))).Count >= 3, TimeSpan.FromSeconds(15), "three events in the stream");
        return GroupCorrelation.IdOf(Deployment.GroupIdOf(group));
    }

    private static async Task Sql(string sql, Guid stream)
    {
        await using var connection = new NpgsqlConnection(RealServices.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new NpgsqlParameter { Value = sql.Contains("$1::text", StringComparison.Ordinal) ? stream.ToString() : stream } } };
        Assert.That(await command.ExecuteNonQueryAsync(), Is.EqualTo(1), sql);
    }

    // With no --postgres, as an auditor runs them: each command says once, on stderr, that it reads as the auditors'
    // role, without its password. The output returned is the rest, for the tests to read as the command's.
    private Task<(int Code, string Output)> Audit(params string[] args) => Audit(withTopology: true, args);

    private async Task<(int Code, string Output)> Audit(bool withTopology, params string[] args)
    {
        var (code, output, error) = await Run(withTopology, args);
        var announcement = $"reading the event store as PostgreSQL role {AuditorRole} (read-only)\n";
        Assert.That(error.Split('\n').Count(l => l.StartsWith("reading the event store as PostgreSQL role", StringComparison.Ordinal)), Is.EqualTo(1), error);
        Assert.That(error, Does.StartWith(announcement), "the default is the auditors' role");
        Assert.That(output + error, Does.Not.Contain(new NpgsqlConnectionStringBuilder(RealServices.AuditorPostgres).Password!), "no password on screen");
        return (code, output + error[announcement.Length..]);
    }

    private Task<(int Code, string Output, string Error)> Run(params string[] args) => Run(withTopology: true, args);

    private async Task<(int Code, string Output, string Error)> Run(bool withTopology, params string[] args)
    {
        await using var output = new StringWriter { NewLine = "\n" };
        await using var error = new StringWriter { NewLine = "\n" };
        // Without: a file that does not exist, so that no CHARGELINK_TOPOLOGY of the environment names the groups.
        var topology = withTopology ? Deployment.TopologyPath : Path.Combine(Path.GetTempPath(), $"no-topology-{Guid.NewGuid():N}.json");
        var code = await Cli.CliApp.Run(["audit", .. args, "--schema", Deployment.Schema, "--topology", topology], output, error);
        TestContext.Out.WriteLine(output.ToString() + error);
        return (code, output.ToString(), error.ToString());
    }
}
