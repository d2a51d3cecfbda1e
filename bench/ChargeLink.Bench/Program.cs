using ChargeLink.Bench;

// make bench: every scenario at full length; make bench-quick (--quick): each briefly, as a smoke check.
// make bench-cpu (--cpu [--rate N]): the sessions at 50/s (or N/s) and the CPU per session only, on the console.
// Each of these drops its PostgreSQL schema at the end; --keep leaves it for `chargelink audit ... --schema`.
// make bench-connections (--connections): 10,000 stations on one gateway, its memory per connection, the console.
// make chaos / make chaos-quick: "chaos" [--quick]. make bench-soak / bench-soak-quick: "soak" [--quick].
// make bench-floor: "floor" (a bare broker hop's and a bare commit's CPU on this machine). make bench-relay: "relay" [--quick]. make bench-replay: "replay" [--quick] [--keep]. "soak --cold-start-of SCHEMA" [--quick]: only the cold restart, on a finished soak's data.
var quick = args.Contains("--quick");
var root = Directory.GetCurrentDirectory();
if (!File.Exists(Path.Combine(root, "ChargeLink.sln")))
{
    Console.Error.WriteLine("run from the repository's root (make bench does)");
    return 2;
}
if (args.Contains("soak") && Array.IndexOf(args, "--cold-start-of") is var at and >= 0 && at + 1 < args.Length)
    return await new ChargeLink.Bench.Soak.SoakRun(quick ? ChargeLink.Bench.Soak.SoakPlan.Quick : ChargeLink.Bench.Soak.SoakPlan.Full, root).ColdStartOf(args[at + 1]);
if (args.Contains("soak"))
    return await new ChargeLink.Bench.Soak.SoakRun(ChargeLink.Bench.Soak.SoakPlan.From(quick ? ChargeLink.Bench.Soak.SoakPlan.Quick : ChargeLink.Bench.Soak.SoakPlan.Full), root).Run();
if (args.Contains("relay"))
    return await new ChargeLink.Bench.Relay.RelayRun(root, quick).Run();
if (args.Contains("replay"))
    return await new ChargeLink.Bench.Replay.ReplayRun(root, quick, keep: args.Contains("--keep")).Run();
if (args.Contains("floor"))
    return await new FloorRun(root).Run();
if (args.Contains("chaos"))
    return await new ChaosRun(quick ? ChaosPlan.Quick : ChaosPlan.Full, root).Run();
var rateAt = Array.IndexOf(args, "--rate");
var rate = rateAt >= 0 && rateAt + 1 < args.Length && int.TryParse(args[rateAt + 1], out var r) && r > 0 ? r : 50;
return await new BenchRun(quick ? BenchPlan.Quick : args.Contains("--cpu") ? BenchPlan.CpuAt(rate)
    : args.Contains("--connections") ? BenchPlan.ConnectionsOnly
    : args.Contains("--baseline") ? BenchPlan.BaselineOnly : BenchPlan.Full, root, keep: args.Contains("--keep")).Run();
