namespace ChargeLink.Bench;

/// <summary>How much a chaos run does: whole sessions, SIGKILLs among them, and malformed frames afterwards.</summary>
/// <param name="Groups">Station groups run side by side, each with two stations and one terminal, one session at a time.</param>
public sealed record ChaosPlan(string Mode, int Sessions, int Kills, int Groups, int FuzzFrames)
{
    public static readonly ChaosPlan Full = new("full", Sessions: 10_000, Kills: 100, Groups: 60, FuzzFrames: 1_000_000);
    public static readonly ChaosPlan Quick = new("quick", Sessions: 500, Kills: 10, Groups: 20, FuzzFrames: 50_000);

    public int SessionsPerGroup => (Sessions + Groups - 1) / Groups;
}
