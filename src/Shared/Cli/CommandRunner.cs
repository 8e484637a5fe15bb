using System.CommandLine;

namespace RnnSearch.Shared.Cli;

/// <summary>
/// Runs a command line the way both programs promise: a parse error or a known bad-input exception becomes one
/// "error: ..." line on stderr and exit code 2; anything else is a bug: one "error:" line, the stack trace, exit
/// code 70, also when it is thrown on another thread (never the runtime's abort and core dump).
/// </summary>
public static class CommandRunner
{
    public static int Run(RootCommand root, string[] args, Func<Exception, bool> isBadInput)
    {
        AppDomain.CurrentDomain.UnhandledException += (_, e) => ExitOnUnhandled(e.ExceptionObject as Exception, isBadInput);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            Console.Error.WriteLine("error: " + parsed.Errors[0].Message);
            return ExitCodes.BadInput;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            return Report(e, isBadInput);
        }
    }

    /// <summary>Prints an exception as the programs promise and returns the exit code it deserves.</summary>
    public static int Report(Exception e, Func<Exception, bool> isBadInput)
    {
        var inner = Unwrap(e);
        if (isBadInput(inner))
        {
            Console.Error.WriteLine("error: " + OneLine(inner.Message));
            return ExitCodes.BadInput;
        }
        Console.Error.WriteLine($"error: internal error ({inner.GetType().Name}): {OneLine(inner.Message)}; this is a bug, please report it with the trace below");
        Console.Error.WriteLine(e);
        return ExitCodes.InternalError;
    }

    private static void ExitOnUnhandled(Exception? e, Func<Exception, bool> isBadInput)
    {
        var code = e is null ? ExitCodes.InternalError : Report(e, isBadInput);
        Console.Error.Flush();
        // Exiting here, inside the handler, ends the process with our code before the runtime aborts it.
        Environment.Exit(code);
    }

    private static Exception Unwrap(Exception e) => e switch
    {
        AggregateException { InnerExceptions.Count: 1 } a => Unwrap(a.InnerExceptions[0]),
        System.Reflection.TargetInvocationException { InnerException: { } inner } => Unwrap(inner),
        _ => e,
    };

    private static string OneLine(string message)
    {
        var line = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
        return line.Length == 0 ? "(no message)" : line;
    }
}
