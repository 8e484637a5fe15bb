namespace RnnSearch.Coordinator.Report;

/// <summary>docs/protocol.md as embedded in this build, so every report carries the rules its numbers follow.</summary>
public static class ProtocolText
{
    public static string Markdown { get; } = Read();

    private static string Read()
    {
        using var stream = typeof(ProtocolText).Assembly.GetManifestResourceStream("docs.protocol.md")
                           ?? throw new InvalidOperationException("docs/protocol.md is not embedded in this build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
