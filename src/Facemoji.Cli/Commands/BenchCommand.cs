using System.CommandLine;
using Facemoji.Cli.Commands.Bench;

namespace Facemoji.Cli.Commands;

/// <summary>
/// <c>facemoji bench &lt;what&gt;</c>: speed measurements. Each subcommand is one class in Commands/Bench with its
/// own options on top of the common ones of <see cref="BenchCommonOptions"/> (<c>--threads</c>, <c>--quick</c>,
/// <c>--json</c>). To add one (train, infer, detect): write <c>BenchXCommand.Create(BenchCommonOptions)</c>
/// next to <see cref="BenchGemmCommand"/> and list it below; with <c>--json</c> it prints exactly one JSON object.
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Measure the speed of the engine (kernels, training, inference, detection, imaging).");
        bench.Subcommands.Add(BenchGemmCommand.Create(new BenchCommonOptions()));
        bench.Subcommands.Add(BenchNetworkCommand.CreateTrain(new BenchCommonOptions()));
        bench.Subcommands.Add(BenchNetworkCommand.CreateInfer(new BenchCommonOptions()));
        bench.Subcommands.Add(BenchWebCommand.Create(new BenchCommonOptions()));
        bench.Subcommands.Add(BenchDetectCommand.Create(new BenchCommonOptions()));
        bench.Subcommands.Add(BenchImagingCommand.Create(new BenchCommonOptions()));
        return bench;
    }
}
