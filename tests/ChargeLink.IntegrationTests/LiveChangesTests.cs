using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ChargeLink.IntegrationTests.Support;
using ChargeLink.Simulators;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// The console's live news (server-sent events at /console/events) reaches the pages of every orchestrator instance,
/// not only of the one that committed the change: two instances, a page on each, one plug-in. And the stations'
/// presence that the gateways record: online while served, offline when they leave or their gateway stops refreshing.
/// </summary>
[TestFixture]
public sealed class LiveChangesTests : SystemFixture
{
    [Test]
    public async Task A_change_committed_by_one_instance_is_told_to_the_pages_of_both()
    {
        var second = await Deployment.StartOrchestrator();
        using var firstPage = await Follow(Deployment.OrchestratorUrl);
        using var secondPage = await Follow(second);

        await using var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ChargePointId);
        var answer = await station.Call("StatusNotification", new JsonObject { ["connectorId"] = 2, ["errorCode"] = "NoError", ["status"] = "Preparing" });
        Assert.That(answer[0]!.GetValue<int>(), Is.EqualTo(3), answer.ToJsonString());

        // A commit's news (version > 0), not the gateway's of the station's connection (version 0).
        var told = await Task.WhenAll(firstPage.NextCommitOf(Deployment.GroupId), secondPage.NextCommitOf(Deployment.GroupId));
        Assert.That(told.Select(t => t["version"]!.GetValue<long>()).Distinct().Count(), Is.EqualTo(1), "the same commit told to both: " + string.Join(" ", told.Select(t => t.ToJsonString())));
    }

    [Test]
    public async Task A_station_is_online_while_a_gateway_serves_it_and_offline_when_it_leaves_or_its_gateway_stops_refreshing()
    {
        using var http = Deployment.OperatorClient();
        async Task<JsonNode> Presence(string chargePointId) =>
            JsonNode.Parse(await http.GetStringAsync($"/groups/{Deployment.GroupId}"))!["stations"]!.AsArray().Single(s => s!["chargePointId"]!.GetValue<string>() == chargePointId)!;

        Assert.That((await Presence(Deployment.ThirdChargePointId))["since"], Is.Null, "a station never connected has no since");
        var station = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ThirdChargePointId, subprotocol: "ocpp2.0.1");
        await using (station)
        {
            await Eventually.True(async () => (await Presence(Deployment.ThirdChargePointId))["online"]!.GetValue<bool>(), TimeSpan.FromSeconds(10), "online once connected");
            Assert.That((await Presence(Deployment.ThirdChargePointId))["subprotocol"]!.GetValue<string>(), Is.EqualTo("ocpp2.0.1"));

            // A gateway killed with the connection open never says it left: its rows stop being refreshed.
            await using (var connection = new Npgsql.NpgsqlConnection(RealServices.Postgres))
            {
                await connection.OpenAsync();
                await using var age = new Npgsql.NpgsqlCommand($"update \"{Deployment.Schema}\".chargelink_station_presence set seen_at = now() - interval '91 seconds' where charge_point_id = $1", connection)
                {
                    Parameters = { new() { Value = Deployment.ThirdChargePointId } },
                };
                Assert.That(await age.ExecuteNonQueryAsync(), Is.EqualTo(1));
            }
            Assert.That((await Presence(Deployment.ThirdChargePointId))["online"]!.GetValue<bool>(), Is.False, "not refreshed for 90 s: offline");
        }
        await using (var again = await StationSimulator.Connect(Deployment.GatewayUrl, Deployment.ThirdChargePointId))
            await Eventually.True(async () => (await Presence(Deployment.ThirdChargePointId))["online"]!.GetValue<bool>(), TimeSpan.FromSeconds(10), "online again once reconnected");
        await Eventually.True(async () => !(await Presence(Deployment.ThirdChargePointId))["online"]!.GetValue<bool>(), TimeSpan.FromSeconds(10), "offline once it left");
    }

    private async Task<EventStream> Follow(Uri orchestrator)
    {
        var http = new HttpClient { BaseAddress = orchestrator, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Deployment.OperatorToken);
        var response = await http.GetAsync("/console/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/event-stream"));
        return new EventStream(http, response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    private sealed class EventStream(HttpClient http, HttpResponseMessage response, StreamReader reader) : IDisposable
    {
        /// <summary>The data of the next `group` event of a commit of <paramref name="groupId"/>, within 10 s.</summary>
        public async Task<JsonNode> NextCommitOf(string groupId)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var isGroupEvent = false;
            while (await reader.ReadLineAsync(deadline.Token) is { } line)
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                    isGroupEvent = line == "event: group";
                else if (isGroupEvent && line.StartsWith("data: ", StringComparison.Ordinal) && JsonNode.Parse(line[6..]) is { } data
                    && data["groupId"]?.GetValue<string>() == groupId && data["version"]!.GetValue<long>() > 0)
                    return data;
            }
            throw new AssertionException("the event stream ended");
        }

        public void Dispose()
        {
            reader.Dispose();
            response.Dispose();
            http.Dispose();
        }
    }
}
