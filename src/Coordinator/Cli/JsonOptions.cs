using System.Text.Json;

namespace RnnSearch.Coordinator.Cli;

public static class JsonOptions
{
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
}
