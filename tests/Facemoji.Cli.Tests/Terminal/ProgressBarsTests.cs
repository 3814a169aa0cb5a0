using Facemoji.Cli.Terminal;
using Spectre.Console;

namespace Facemoji.Cli.Tests.Terminal;

/// <summary>Progress bars are drawn on a terminal only; into a pipe the work runs with no callback and nothing is written.</summary>
public sealed class ProgressBarsTests
{
    [Fact]
    public void On_a_terminal_the_bar_follows_the_callback_to_the_end()
    {
        var output = new StringWriter();
        var terminal = Console(output, interactive: true);
        var seen = new List<int>();

        int result = ProgressBars.Run("decoding faces", 10, report =>
        {
            report.Should().NotBeNull("a terminal gets a bar");
            for (int done = 1; done <= 10; done++)
            {
                report!(done);
                seen.Add(done);
            }

            return 42;
        }, terminal);

        result.Should().Be(42);
        seen.Should().HaveCount(10);
        output.ToString().Should().Contain("decoding faces").And.Contain("100%").And.Contain("\u001b[", "a terminal gets cursor codes");
    }

    [Fact]
    public void Into_a_pipe_nothing_is_drawn_and_the_work_gets_no_callback()
    {
        var output = new StringWriter();
        var pipe = Console(output, interactive: false);

        string result = ProgressBars.Run("loading data", report =>
        {
            report.Should().BeNull("a pipe gets no bar");
            return "done";
        }, pipe);

        result.Should().Be("done");
        output.ToString().Should().BeEmpty();
    }

    [Fact]
    public void A_failure_inside_the_bar_reaches_the_caller()
    {
        var terminal = Console(new StringWriter(), interactive: true);
        var act = () => ProgressBars.Run<int>("evaluating", 5, _ => throw new FacemojiException("data.csv: broken"), terminal);
        act.Should().Throw<FacemojiException>().WithMessage("data.csv: broken");
    }

    private static IAnsiConsole Console(TextWriter writer, bool interactive) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(writer),
        Ansi = interactive ? AnsiSupport.Yes : AnsiSupport.No,
        ColorSystem = interactive ? ColorSystemSupport.TrueColor : ColorSystemSupport.NoColors,
        Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
    });
}
