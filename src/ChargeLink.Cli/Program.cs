using ChargeLink.Cli;

return await CliApp.Run(args, Console.Out, Console.Error);
