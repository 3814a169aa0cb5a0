using System.CommandLine;

namespace Facemoji.Cli.Commands;

/// <summary>The verbs of the <c>facemoji</c> command, one class each; add a new verb here.</summary>
public static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return ImageCommand.Create();
        yield return VideoCommand.Create();
        yield return MergeCommand.Create();
        yield return DemoCommand.Create();
        yield return BenchCommand.Create();
        yield return TrainCommand.Create();
        yield return EvaluateCommand.Create();
        yield return CalibrateCommand.Create();
        yield return ModelCommand.Create();
        yield return ExportCommand.Create();
        yield return ServeCommand.Create();
        yield return ServeCommand.CreateLive();
        yield return PacksCommand.Create();
    }
}
