using Facemoji.Engine;
using Spectre.Console;

namespace Facemoji.Cli;

/// <summary>
/// Turns user-facing errors into one clear line on stderr and exit code 1. Anything else is a bug, but
/// the user still gets a message rather than a stack trace (the trace goes out only with FACEMOJI_DEBUG=1).
/// </summary>
public static class CliErrors
{
    public const int UserError = 1;
    public const int InternalError = 70;

    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception ex) when (Unwrap(ex) is FacemojiException user)
        {
            Console.Error.WriteLine($"error: {user.Message}");
            return UserError;
        }
        catch (Exception ex) when (Unwrap(ex) is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {Unwrap(ex).Message}");
            return UserError;
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"internal error: {Unwrap(ex).Message}");
            if (Environment.GetEnvironmentVariable("FACEMOJI_DEBUG") == "1")
            {
                AnsiConsole.WriteException(ex);
            }

            return InternalError;
        }
    }

    private static Exception Unwrap(Exception ex)
    {
        while (ex is AggregateException { InnerExceptions.Count: 1 } agg)
        {
            ex = agg.InnerExceptions[0];
        }

        return ex;
    }
}
