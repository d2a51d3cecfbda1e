namespace ChargeLink.Cli;

/// <summary>
/// `chargelink`: the operator's, integrator's and auditor's tool. Every command has --help; services are found
/// through the same environment variables the services read (docs/contracts.md), each overridable by an option.
/// </summary>
public static class CliApp
{
    public static Task<int> Run(
        string[] args,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellation = default
    )
    {
        var console = new CliConsole(output, error);
        var root = new RootCommand(
            "ChargeLink: pay at any connector of a charging site. Operator, integrator and auditor commands."
        )
        {
            TopologyCommands.Create(console),
            CloudCommands.Create(console),
            DemoCommand.Create(console),
            Audit.AuditCommands.Create(console),
        };
        return root.Parse(args)
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellation);
    }
}

/// <summary>Where a command writes: the process's console, or a test's writers.</summary>
public sealed record CliConsole(TextWriter Out, TextWriter Error);
