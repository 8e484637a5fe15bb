using System.Text;

namespace RnnSearch.Coordinator.Report;

/// <summary>Writes report.md (with figures/*.png beside it) and the self-contained report.html into a folder.</summary>
public static class ReportWriter
{
    public static (string Markdown, string Html) Write(ReportDocument document, string directory)
    {
        Directory.CreateDirectory(directory);
        var figures = Path.Combine(directory, MarkdownRenderer.FigureFolder);
        Directory.CreateDirectory(figures);
        foreach (var figure in document.Blocks.OfType<FigureBlock>()) File.WriteAllBytes(Path.Combine(figures, figure.FileName), figure.Png);
        var markdown = Path.Combine(directory, "report.md");
        var html = Path.Combine(directory, "report.html");
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        File.WriteAllText(markdown, MarkdownRenderer.Render(document), utf8);
        File.WriteAllText(html, HtmlRenderer.Render(document), utf8);
        return (markdown, html);
    }
}
