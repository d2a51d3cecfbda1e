using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ChargeLink.Cli.Simulators;
using ChargeLink.IntegrationTests.Support;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// The console's live news (server-sent events at /console/events) reaches the pages of every orchestrator instance,
/// not only of the one that committed the change: two instances, a page on each, one plug-in.
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

        var told = await Task.WhenAll(firstPage.NextChangeOf(Deployment.GroupId), secondPage.NextChangeOf(Deployment.GroupId));
        Assert.That(told.Select(t => t["version"]!.GetValue<long>()), Has.All.GreaterThan(0L), string.Join(" ", told.Select(t => t.ToJsonString())));
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
        /// <summary>The data of the next `group` event that names <paramref name="groupId"/>, within 10 s.</summary>
        public async Task<JsonNode> NextChangeOf(string groupId)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var isGroupEvent = false;
            while (await reader.ReadLineAsync(deadline.Token) is { } line)
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                    isGroupEvent = line == "event: group";
                else if (isGroupEvent && line.StartsWith("data: ", StringComparison.Ordinal) && JsonNode.Parse(line[6..]) is { } data
                    && data["groupId"]?.GetValue<string>() == groupId)
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
