namespace ChargeLink.Bench;

/// <summary>The progress line: what runs now, with the time since the run began.</summary>
public static class Progress
{
    private static readonly System.Diagnostics.Stopwatch Clock = System.Diagnostics.Stopwatch.StartNew();

    public static void Line(string what) => Console.Error.WriteLine($"[bench {Clock.Elapsed:mm\\:ss}] {what}");
}
