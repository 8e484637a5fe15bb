namespace RnnSearch.Coordinator.Report;

/// <summary>
/// The report as a list of blocks, rendered twice: to Markdown (report.md + figures/*.png) and to one self-contained
/// HTML file. Text may use two inline marks that both renderers understand: <c>**bold**</c> and <c>`code`</c>.
/// </summary>
public sealed record ReportDocument(string Title, IReadOnlyList<ReportBlock> Blocks);

public abstract record ReportBlock;

/// <summary>A section heading; <see cref="Id"/> is the anchor the HTML gives it (and tests look for).</summary>
public sealed record Heading(int Level, string Text, string Id) : ReportBlock;

public sealed record Paragraph(string Text) : ReportBlock;

public sealed record BulletList(IReadOnlyList<string> Items) : ReportBlock;

/// <summary>A table; <see cref="NumericColumns"/> are right-aligned.</summary>
public sealed record TableBlock(string Id, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows, IReadOnlyCollection<int> NumericColumns) : ReportBlock;

/// <summary>A PNG figure: a file beside report.md, a data URI inside report.html.</summary>
public sealed record FigureBlock(string Id, string FileName, string Caption, byte[] Png) : ReportBlock;

public sealed record CodeBlock(string Text) : ReportBlock;
