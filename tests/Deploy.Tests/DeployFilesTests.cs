using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using static RnnSearch.Deploy.Tests.DeployFiles;

namespace RnnSearch.Deploy.Tests;

/// <summary>deploy/ names only paths that exist and options the programs have (no Docker needed).</summary>
public sealed class DeployFilesTests
{
    private static readonly Lazy<string> CoordinatorHelp = new(() => Help(Repo.CoordinatorDll, ["run", "--help"]));
    private static readonly Lazy<string> TrainerHelp = new(() => Help(Repo.TrainerDll, ["--help"]));

    [Fact]
    public void Every_option_deploy_passes_to_a_node_is_an_option_of_that_node()
    {
        var lines = CommandLines().ToList();
        Assert.Contains(lines, l => l.Node == Node.Coordinator && l.Where.StartsWith("compose", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Node == Node.Trainer && l.Where.StartsWith("k8s", StringComparison.Ordinal));
        var unknown = new List<string>();
        foreach (var (where, node, arguments) in lines)
        {
            var help = node == Node.Coordinator ? CoordinatorHelp.Value : TrainerHelp.Value;
            foreach (var option in arguments.Where(a => a.StartsWith("--", StringComparison.Ordinal)).Select(a => a.Split('=')[0]))
                if (!Regex.IsMatch(help, $@"(^|[\s,]){Regex.Escape(option)}([\s,<]|$)", RegexOptions.Multiline)) unknown.Add($"{where}: {option}");
            if (node == Node.Coordinator && arguments.Any(a => a.StartsWith("--", StringComparison.Ordinal)))
                Assert.True(arguments[0] == "run", $"{where}: coordinator options must follow the 'run' command: {string.Join(' ', arguments)}");
        }
        Assert.True(unknown.Count == 0, "options the programs do not have:\n" + string.Join('\n', unknown));
    }

    [Fact]
    public void Dockerfiles_copy_and_publish_paths_that_exist_and_start_the_built_programs()
    {
        foreach (var (node, program) in new[] { (Node.Coordinator, Path.GetFileName(Repo.CoordinatorDll)), (Node.Trainer, Path.GetFileName(Repo.TrainerDll)) })
        {
            var text = File.ReadAllText(Dockerfile(node));
            var copies = Regex.Matches(text, @"^COPY\s+(?!--from)(.+)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
            Assert.NotEmpty(copies);
            foreach (var source in copies.SelectMany(c => c[..^1]))
                Assert.True(File.Exists(Repo.Path_(source)) || Directory.Exists(Repo.Path_(source)), $"{Dockerfile(node)}: COPY {source} does not exist in the repository");
            var published = Regex.Match(text, @"dotnet publish (\S+)").Groups[1].Value;
            Assert.True(File.Exists(Repo.Path_(published)), $"{Dockerfile(node)}: dotnet publish {published} does not exist");
            Assert.Contains($"\"{program}\"", Regex.Match(text, @"^ENTRYPOINT .*$", RegexOptions.Multiline).Value);
        }
    }

    [Fact]
    public void Compose_builds_from_existing_dockerfiles_and_mounts_existing_files_where_their_configs_look()
    {
        var services = (YamlMappingNode)Get(Yaml(Compose), "services")!;
        var mounts = new Dictionary<string, string>(); // container path -> host path
        foreach (var (name, service) in services.Children)
        {
            if (Get(service, "build") is { } build)
            {
                var context = Path.GetFullPath(Path.Combine(Repo.Deploy, ((YamlScalarNode)Get(build, "context")!).Value!));
                Assert.Equal(Repo.Root, context.TrimEnd(Path.DirectorySeparatorChar));
                Assert.True(File.Exists(Path.Combine(context, ((YamlScalarNode)Get(build, "dockerfile")!).Value!)), $"{name}: dockerfile missing");
            }
            foreach (var volume in Strings(Get(service, "volumes")))
            {
                var parts = volume.Split(':');
                var host = Regex.Replace(parts[0], @"^\$\{[A-Z_]+:-(.*)\}$", "$1");
                if (!host.StartsWith('.')) continue; // a named volume
                var full = Path.GetFullPath(Path.Combine(Repo.Deploy, host));
                Assert.True(File.Exists(full) || Directory.Exists(full), $"compose {name}: {host} does not exist ({full})");
                mounts[parts[1]] = full;
            }
        }
        // Prometheus loads the rules file it names; Grafana reads dashboards from the provider's path; the collector its config.
        var prometheus = Yaml(mounts["/etc/prometheus/prometheus.yml"]);
        foreach (var rules in Strings(Get(prometheus, "rule_files"))) Assert.True(mounts.ContainsKey(rules), $"rule file {rules} is not mounted");
        var provider = Yaml(Path.Combine(mounts["/etc/grafana/provisioning"], "dashboards", "dashboards.yml"));
        var dashboards = ((YamlScalarNode)Get(((YamlSequenceNode)Get(provider, "providers")!)[0], "options", "path")!).Value!;
        Assert.True(Directory.GetFiles(mounts[dashboards], "*.json").Length > 0, $"no dashboard mounted at {dashboards}");
        var collector = Strings(Get(services, "otel-collector", "command")).Single(a => a.StartsWith("--config=", StringComparison.Ordinal))["--config=".Length..];
        Assert.True(mounts.ContainsKey(collector), $"collector config {collector} is not mounted");
        // Every scrape target is a compose service.
        foreach (var target in ((YamlSequenceNode)Get(prometheus, "scrape_configs")!).SelectMany(j => (YamlSequenceNode)Get(j, "static_configs")!).SelectMany(s => Strings(Get(s, "targets"))))
            Assert.True(services.Children.ContainsKey(new YamlScalarNode(target.Split(':')[0])), $"scrape target {target} is not a compose service");
    }

    [Fact]
    public void Dashboard_uses_only_provisioned_datasources()
    {
        var datasources = Yaml(Path.Combine(Repo.Deploy, "grafana", "provisioning", "datasources", "datasources.yml"));
        var uids = ((YamlSequenceNode)Get(datasources, "datasources")!).Select(d => ((YamlScalarNode)Get(d, "uid")!).Value!).ToHashSet();
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Dashboard));
        var used = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .Where(p => p.TryGetProperty("datasource", out _)).Select(p => p.GetProperty("datasource").GetProperty("uid").GetString()!).ToHashSet();
        Assert.Contains("prometheus", used);
        Assert.Contains("infinity", used);
        Assert.Subset(uids, used);
    }

    [Fact]
    public void Kubernetes_manifests_request_gpus_and_name_claims_and_services_that_exist()
    {
        var documents = KubernetesFiles.SelectMany(YamlDocuments).ToList();
        string Kind(YamlNode d) => ((YamlScalarNode)Get(d, "kind")!).Value!;
        string Name(YamlNode d) => ((YamlScalarNode)Get(d, "metadata", "name")!).Value!;
        var claims = documents.Where(d => Kind(d) == "PersistentVolumeClaim").Select(Name).ToHashSet();
        Assert.Contains("StatefulSet", documents.Select(Kind));
        var statefulSet = documents.Single(d => Kind(d) == "StatefulSet");
        Assert.NotNull(Get(statefulSet, "spec", "volumeClaimTemplates"));
        Assert.Contains(Get(statefulSet, "spec", "serviceName")!.ToString(), documents.Where(d => Kind(d) == "Service").Select(Name));
        foreach (var workload in documents.Where(d => Kind(d) is "StatefulSet" or "Deployment"))
            foreach (var volume in (YamlSequenceNode?)Get(workload, "spec", "template", "spec", "volumes") ?? [])
                if (Get(volume, "persistentVolumeClaim", "claimName") is YamlScalarNode claim)
                    Assert.True(claims.Contains(claim.Value!), $"{Name(workload)}: claim {claim.Value} is not defined");
        var trainer = documents.Single(d => Kind(d) == "Deployment");
        var container = ((YamlSequenceNode)Get(trainer, "spec", "template", "spec", "containers")!)[0];
        Assert.Equal("1", Get(container, "resources", "limits", "nvidia.com/gpu")?.ToString());
        // The trainers' seed node is the coordinator pod's stable name.
        var seed = Strings(Get(container, "args")).SkipWhile(a => a != "--seed-nodes").Skip(1).First();
        Assert.Contains($"{Name(statefulSet)}-0.{Get(statefulSet, "spec", "serviceName")}.", seed);
    }

    [Fact]
    public void Ci_installs_prometheus()
    {
        var script = Repo.Path_(".ci", "install-deps");
        Assert.True(File.Exists(script), ".ci/install-deps is missing");
        if (!OperatingSystem.IsWindows())
            Assert.True((File.GetUnixFileMode(script) & UnixFileMode.UserExecute) != 0, ".ci/install-deps is not executable");
        Assert.Contains("prometheus", File.ReadAllText(script));
    }

    private static string Help(string dll, string[] arguments)
    {
        var (exitCode, output) = NodeProcess.RunAsync(dll, arguments, TimeSpan.FromSeconds(60)).GetAwaiter().GetResult();
        Assert.True(exitCode == 0, $"{dll} {string.Join(' ', arguments)} exited {exitCode}:\n{output}");
        return output;
    }
}
