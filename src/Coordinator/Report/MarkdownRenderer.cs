using System.Text;

namespace RnnSearch.Coordinator.Report;

/// <summary>Renders a <see cref="ReportDocument"/> as GitHub-flavoured Markdown; figures link to files beside it.</summary>
public static class MarkdownRenderer
{
    public const string FigureFolder = "figures";

    public static string Render(ReportDocument document)
    {
        var md = new StringBuilder();
        md.Append("# ").AppendLine(document.Title).AppendLine();
        foreach (var block in document.Blocks)
        {
            switch (block)
            {
                case Heading h:
                    md.Append('#', h.Level).Append(' ').AppendLine(h.Text).AppendLine();
                    break;
                case Paragraph p:
                    md.AppendLine(p.Text).AppendLine();
                    break;
                case BulletList list:
                    foreach (var item in list.Items) md.Append("- ").AppendLine(item);
                    md.AppendLine();
                    break;
                case TableBlock table:
                    md.Append("| ").Append(string.Join(" | ", table.Headers.Select(Cell))).AppendLine(" |");
                    md.Append('|').Append(string.Join('|', table.Headers.Select((_, i) => table.NumericColumns.Contains(i) ? "---:" : "---"))).AppendLine("|");
                    foreach (var row in table.Rows) md.Append("| ").Append(string.Join(" | ", row.Select(Cell))).AppendLine(" |");
                    md.AppendLine();
                    break;
                case FigureBlock figure:
                    md.Append("![").Append(figure.Caption.Replace("]", ")", StringComparison.Ordinal)).Append("](").Append(FigureFolder).Append('/').Append(figure.FileName).AppendLine(")");
                    md.AppendLine().Append('*').Append(figure.Caption).AppendLine("*").AppendLine();
                    break;
                case CodeBlock code:
                    md.AppendLine("```toml").AppendLine(code.Text.TrimEnd()).AppendLine("```").AppendLine();
                    break;
            }
        }
        return md.ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
