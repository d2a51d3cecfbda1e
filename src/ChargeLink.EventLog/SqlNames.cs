namespace ChargeLink.EventLog;

/// <summary>Names that go into SQL text (a schema cannot be a parameter), quoted so that any name is safe.</summary>
public static class SqlNames
{
    public static string Quote(string identifier) =>
        "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
