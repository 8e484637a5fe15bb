namespace RnnSearch.Coordinator.Cli;

/// <summary>Bad input from the command line or a file: printed as one line, exit code 2, nothing written.</summary>
public sealed class CliError(string message) : Exception(message);
