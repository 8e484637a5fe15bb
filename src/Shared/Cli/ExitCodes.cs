namespace RnnSearch.Shared.Cli;

/// <summary>The exit codes of both programs (README "Exit codes").</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The command ran and reports a failed result (a trial that failed, a check that did not pass).</summary>
    public const int Failed = 1;
    /// <summary>Bad input: a CLI option, spec, study file, data file, store or port; one "error:" line says which.</summary>
    public const int BadInput = 2;
    /// <summary>A bug (an exception nobody classified): one "error:" line, then the stack trace. 70 is BSD's EX_SOFTWARE.</summary>
    public const int InternalError = 70;
}
