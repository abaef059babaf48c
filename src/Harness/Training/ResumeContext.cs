using Harness.Models;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>What a plugin restoring its state in a resumed run may use: the model (its weights already restored) and the device.</summary>
internal sealed record ResumeContext(ContinualModel Model, Device Device, IReadOnlyList<string> DomainIds);
