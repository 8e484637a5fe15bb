using System.CommandLine;

namespace RnnSearch.Shared.Cli;

/// <summary>
/// Runs a command line the way both programs promise: a parse error or a known bad-input exception becomes one
/// "error: ..." line on stderr and exit code 2; anything else is a bug and keeps its stack trace.
/// </summary>
public static class CommandRunner
{
    public static int Run(RootCommand root, string[] args, Func<Exception, bool> isBadInput)
    {
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            Console.Error.WriteLine("error: " + parsed.Errors[0].Message);
            return 2;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (isBadInput(e))
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 2;
        }
    }
}
