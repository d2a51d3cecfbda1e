using ChargeLink.Bench;

// make bench: every scenario at full length; make bench-quick (--quick): each briefly, as a smoke check.
var quick = args.Contains("--quick");
var root = Directory.GetCurrentDirectory();
if (!File.Exists(Path.Combine(root, "ChargeLink.sln")))
{
    Console.Error.WriteLine("run from the repository's root (make bench does)");
    return 2;
}
return await new BenchRun(quick ? BenchPlan.Quick : BenchPlan.Full, root).Run();
