namespace ChargeLink.Simulators;

// A valid payload for a schema: what every mutation starts from.
public sealed partial class FrameFuzzer
{
    private JsonObject Valid(Field[] schema)
    {
        var payload = new JsonObject();
        foreach (var field in schema)
        {
            if (field.Required || _random.Next(3) == 0)
                payload[field.Name] = ValidValue(field);
        }
        return payload;
    }

    private int Between(int least, int most) => most <= least ? least : _random.Next(least, most + 1);

    private JsonNode ValidValue(Field field) =>
        field.Kind switch
        {
            Kind.Int => Between(
                Math.Max(field.Min, 0),
                Math.Min(field.Max, field.Name is "connectorId" or "evseId" or "id" ? 12 : 999_999)
            ),
            Kind.Text when field.Name == "value" => _random.Next(1_000_000).ToString(CultureInfo.InvariantCulture),
            Kind.Text => SomeText(1 + _random.Next(Math.Min(field.Max, 24))),
            Kind.Any => SomeText(1 + _random.Next(24)),
            Kind.Enum => field.Values![_random.Next(field.Values.Length)],
            Kind.Date => SomeDate(),
            Kind.Number => _random.Next(3) == 0
                ? Math.Round(_random.NextDouble() * 100_000, 3)
                : _random.Next(1_000_000),
            Kind.Bool => _random.Next(2) == 0,
            Kind.Object => Valid(field.Of!),
            _ => new JsonArray([.. Enumerable.Range(0, 1 + _random.Next(3)).Select(_ => (JsonNode)Valid(field.Of!))]),
        };
}
