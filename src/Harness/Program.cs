using Harness.Cli;

return HarnessCli.Run(args, Console.Out, Console.Error, interactive: !Console.IsOutputRedirected);
