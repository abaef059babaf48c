using Harness.Cli;
using Harness.Training;

// Before any tensor exists: libtorch's worker threads inherit the setting from this thread (see DenormalFlush).
DenormalFlush.Enable();
return HarnessCli.Run(args, Console.Out, Console.Error, interactive: !Console.IsOutputRedirected);
