using Harness.Cli;
using Harness.Training;

// Before libtorch loads: MKL reads its reproducibility mode when it starts, and libtorch's worker threads inherit the
// denormal setting from this thread (see ReproducibleMkl and DenormalFlush).
ReproducibleMkl.Enable();
DenormalFlush.Enable();
using var stop = StopSignal.Listen(Console.Error); // SIGINT/SIGTERM: finish the step, write what is done, exit 130/143
return HarnessCli.Run(args, Console.Out, Console.Error, interactive: !Console.IsOutputRedirected, stop);
