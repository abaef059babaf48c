using Harness.Cli;
using Harness.Training;

// Before any tensor exists: libtorch's worker threads inherit the setting from this thread (see DenormalFlush).
DenormalFlush.Enable();
using var stop = StopSignal.Listen(Console.Error); // SIGINT/SIGTERM: finish the step, write what is done, exit 130/143
return HarnessCli.Run(args, Console.Out, Console.Error, interactive: !Console.IsOutputRedirected, stop);
