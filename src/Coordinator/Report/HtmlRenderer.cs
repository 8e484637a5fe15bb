using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace RnnSearch.Coordinator.Report;

/// <summary>
/// Renders a <see cref="ReportDocument"/> as one self-contained HTML file: the style sheet inline, figures as PNG data
/// URIs, no script and no reference to anything outside the file.
/// </summary>
public static partial class HtmlRenderer
{
    private const string Style = """
        body { margin: 0 auto; max-width: 1100px; padding: 24px 28px 48px; font: 15px/1.5 system-ui, "DejaVu Sans", "Liberation Sans", sans-serif; color: #1d2330; }
        h1 { font-size: 26px; margin: 0 0 12px; } h2 { font-size: 20px; margin: 32px 0 10px; border-bottom: 1px solid #e3e7ee; padding-bottom: 4px; }
        h3 { font-size: 16px; margin: 22px 0 8px; }
        table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; font-variant-numeric: tabular-nums; }
        th, td { border: 1px solid #e3e7ee; padding: 4px 8px; text-align: left; vertical-align: top; }
        th { background: #f6f7f9; font-weight: 600; } td.num, th.num { text-align: right; white-space: nowrap; }
        code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12.5px; background: #f3f4f6; padding: 0 3px; border-radius: 3px; }
        pre { background: #f6f7f9; border: 1px solid #e3e7ee; padding: 10px 12px; overflow-x: auto; font-size: 12.5px; }
        figure { margin: 12px 0 22px; } figure img { max-width: 100%; height: auto; border: 1px solid #e3e7ee; }
        figcaption { color: #475467; font-size: 13px; margin-top: 4px; }
        li { margin: 3px 0; }
        """;

    public static string Render(ReportDocument document)
    {
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>").AppendLine("<html lang=\"en\">").AppendLine("<head>").AppendLine("<meta charset=\"utf-8\">")
            .AppendLine("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(Encode(document.Title)).AppendLine("</title>")
            .Append("<style>").Append(Style).AppendLine("</style>").AppendLine("</head>").AppendLine("<body>")
            .Append("<h1>").Append(Encode(document.Title)).AppendLine("</h1>");
        foreach (var block in document.Blocks)
        {
            switch (block)
            {
                case Heading h:
                    html.Append($"<h{h.Level} id=\"{Encode(h.Id)}\">").Append(Inline(h.Text)).AppendLine($"</h{h.Level}>");
                    break;
                case Paragraph p:
                    html.Append("<p>").Append(Inline(p.Text)).AppendLine("</p>");
                    break;
                case BulletList list:
                    html.AppendLine("<ul>");
                    foreach (var item in list.Items) html.Append("<li>").Append(Inline(item)).AppendLine("</li>");
                    html.AppendLine("</ul>");
                    break;
                case TableBlock table:
                    html.Append($"<table id=\"{Encode(table.Id)}\">").AppendLine().Append("<thead><tr>");
                    for (var i = 0; i < table.Headers.Count; i++)
                        html.Append(table.NumericColumns.Contains(i) ? "<th class=\"num\">" : "<th>").Append(Inline(table.Headers[i])).Append("</th>");
                    html.AppendLine("</tr></thead>").AppendLine("<tbody>");
                    foreach (var row in table.Rows)
                    {
                        html.Append("<tr>");
                        for (var i = 0; i < row.Count; i++)
                            html.Append(table.NumericColumns.Contains(i) ? "<td class=\"num\">" : "<td>").Append(Inline(row[i])).Append("</td>");
                        html.AppendLine("</tr>");
                    }
                    html.AppendLine("</tbody></table>");
                    break;
                case FigureBlock figure:
                    html.Append($"<figure id=\"{Encode(figure.Id)}\"><img alt=\"{Encode(figure.Caption)}\" src=\"data:image/png;base64,")
                        .Append(Convert.ToBase64String(figure.Png)).Append("\"><figcaption>").Append(Inline(figure.Caption)).AppendLine("</figcaption></figure>");
                    break;
                case CodeBlock code:
                    html.Append("<pre><code>").Append(Encode(code.Text.TrimEnd())).AppendLine("</code></pre>");
                    break;
            }
        }
        html.AppendLine("</body>").AppendLine("</html>");
        return html.ToString();
    }

    /// <summary>Escapes the text, then turns <c>**bold**</c> and <c>`code`</c> into elements.</summary>
    public static string Inline(string text)
    {
        var encoded = Encode(text);
        encoded = CodeMark().Replace(encoded, "<code>$1</code>");
        return BoldMark().Replace(encoded, "<strong>$1</strong>");
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeMark();

    [GeneratedRegex(@"\*\*(.+?)\*\*")]
    private static partial Regex BoldMark();
}
