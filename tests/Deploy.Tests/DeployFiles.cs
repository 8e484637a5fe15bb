using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace RnnSearch.Deploy.Tests;

/// <summary>Reads deploy/: the command lines it gives each node kind, and the metric names its queries use.</summary>
internal static partial class DeployFiles
{
    public enum Node { Coordinator, Trainer }

    public static string Dockerfile(Node node) => Path.Combine(Repo.Deploy, "docker", node == Node.Coordinator ? "Dockerfile.coordinator" : "Dockerfile.trainer");
    public static string Compose => Path.Combine(Repo.Deploy, "compose.yaml");
    public static IEnumerable<string> KubernetesFiles => Directory.GetFiles(Path.Combine(Repo.Deploy, "k8s"), "*.yaml");
    public static string Dashboard => Path.Combine(Repo.Deploy, "grafana", "dashboards", "rnnsearch.json");
    public static string Rules => Path.Combine(Repo.Deploy, "prometheus", "rules.yml");

    public static YamlMappingNode Yaml(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    public static IEnumerable<YamlMappingNode> YamlDocuments(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode);
    }

    public static YamlNode? Get(YamlNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out node)) return null;
        }
        return node;
    }

    public static IEnumerable<string> Strings(YamlNode? node) => node switch
    {
        YamlSequenceNode seq => seq.Children.OfType<YamlScalarNode>().Select(s => s.Value!),
        YamlScalarNode scalar => scalar.Value!.Split(' ', StringSplitOptions.RemoveEmptyEntries),
        _ => [],
    };

    /// <summary>Every command line deploy/ gives a node kind: Dockerfile ENTRYPOINT+CMD, compose commands, k8s args.</summary>
    public static IEnumerable<(string Where, Node Node, IReadOnlyList<string> Arguments)> CommandLines()
    {
        foreach (var node in new[] { Node.Coordinator, Node.Trainer })
        {
            var file = Dockerfile(node);
            foreach (Match m in DockerExecForm().Matches(File.ReadAllText(file)))
                yield return ($"{Path.GetFileName(file)} {m.Groups[1].Value}", node, JsonSerializer.Deserialize<string[]>(m.Groups[2].Value)!);
        }
        foreach (var (name, service) in ((YamlMappingNode)Get(Yaml(Compose), "services")!).Children)
        {
            var serviceName = ((YamlScalarNode)name).Value!;
            if (KindOf(serviceName) is { } kind) yield return ($"compose.yaml {serviceName}", kind, Strings(Get(service, "command")).ToList());
        }
        foreach (var file in KubernetesFiles)
            foreach (var document in YamlDocuments(file))
                if (Get(document, "spec", "template", "spec", "containers") is YamlSequenceNode containers)
                    foreach (var container in containers)
                        if (KindOf(((YamlScalarNode)Get(container, "name")!).Value!) is { } kind)
                            yield return ($"k8s/{Path.GetFileName(file)} {Get(container, "name")}", kind, Strings(Get(container, "args")).ToList());
    }

    /// <summary>Names of the metrics a PromQL expression reads (ours and the runtime's; not recording rules or up).</summary>
    public static IEnumerable<string> MetricNames(string promQl) =>
        MetricName().Matches(promQl).Select(m => m.Value).Distinct();

    public static IEnumerable<string> DashboardExpressions()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Dashboard));
        foreach (var panel in dashboard.RootElement.GetProperty("panels").EnumerateArray())
            if (panel.TryGetProperty("targets", out var targets))
                foreach (var target in targets.EnumerateArray())
                    if (target.TryGetProperty("expr", out var expr)) yield return expr.GetString()!;
    }

    public static IEnumerable<string> RuleExpressions() =>
        ((YamlSequenceNode)Get(Yaml(Rules), "groups")!).SelectMany(g => (YamlSequenceNode)Get(g, "rules")!).Select(r => ((YamlScalarNode)Get(r, "expr")!).Value!);

    /// <summary>The metric families in a Prometheus text exposition.</summary>
    public static IEnumerable<string> ExposedNames(string exposition) =>
        exposition.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => ExposedName().Match(l).Value).Where(n => n.Length > 0);

    private static Node? KindOf(string name) =>
        name.StartsWith("coordinator", StringComparison.Ordinal) ? Node.Coordinator : name.StartsWith("trainer", StringComparison.Ordinal) ? Node.Trainer : null;

    [GeneratedRegex(@"^(ENTRYPOINT|CMD)\s+(\[.*\])\s*$", RegexOptions.Multiline)]
    private static partial Regex DockerExecForm();

    [GeneratedRegex(@"\b(rnnsearch_[a-z0-9_]+|dotnet_[a-z0-9_]+)\b")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"^[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex ExposedName();
}
