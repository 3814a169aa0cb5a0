using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Facemoji.Cli.Tests.Consistency;

/// <summary>
/// docs/ARCHITECTURE.md against the project files: its mermaid graph has exactly the project references of
/// src/*/*.csproj, the files it names exist, and no project opens its internals to anything but its own tests.
/// </summary>
public partial class ArchitectureDocTests
{
    private static readonly string Doc = RepositoryFiles.PathOf("docs", "ARCHITECTURE.md");

    [Fact]
    public void The_graph_in_the_doc_is_the_graph_of_the_project_files()
    {
        var (docNodes, docEdges) = ReadMermaidGraph(File.ReadAllText(Doc));
        var projects = SourceProjects().ToList();
        var edges = projects
            .SelectMany(p => ProjectReferences(p).Select(r => (From: NodeName(p), To: NodeName(r))))
            .ToHashSet();

        docNodes.Should().BeEquivalentTo(projects.Select(NodeName), "every project in src/ is drawn in docs/ARCHITECTURE.md, and only those");
        docEdges.Except(edges).Should().BeEmpty("docs/ARCHITECTURE.md draws no reference the project files do not have");
        edges.Except(docEdges).Should().BeEmpty("every <ProjectReference> in src/ is drawn in docs/ARCHITECTURE.md");
    }

    [Fact]
    public void Internals_are_visible_only_to_the_projects_own_tests()
    {
        foreach (string project in SourceProjects())
        {
            string name = Path.GetFileNameWithoutExtension(project);
            var friends = XDocument.Load(project).Descendants("InternalsVisibleTo").Select(e => (string?)e.Attribute("Include"))
                .Concat(Directory.EnumerateFiles(Path.GetDirectoryName(project)!, "*.cs", SearchOption.AllDirectories)
                    .Where(f => !IsBuildOutput(f))
                    .SelectMany(f => AssemblyFriend().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value)));
            friends.Where(f => f != name + ".Tests").Should().BeEmpty($"{name} shows its internals to its own tests only; another project uses its public API");
        }
    }

    [Fact]
    public void Every_file_the_doc_names_exists()
    {
        var named = NamedPath().Matches(File.ReadAllText(Doc)).Select(m => m.Groups[1].Value).Distinct().ToList();
        named.Should().NotBeEmpty();
        named.Where(p => !File.Exists(RepositoryFiles.PathOf(p)) && !Directory.Exists(RepositoryFiles.PathOf(p)))
            .Should().BeEmpty("the files docs/ARCHITECTURE.md names as owners of a step exist");
    }

    /// <summary>The nodes and the edges (<c>A --> B</c>, a node optionally labelled <c>A["A.B"]</c>) of the first mermaid block.</summary>
    internal static (HashSet<string> Nodes, HashSet<(string From, string To)> Edges) ReadMermaidGraph(string markdown)
    {
        int start = markdown.IndexOf("```mermaid", StringComparison.Ordinal);
        start.Should().BeGreaterThanOrEqualTo(0, "docs/ARCHITECTURE.md draws the project graph in a mermaid block");
        int end = markdown.IndexOf("```", start + 3, StringComparison.Ordinal);
        var nodes = new HashSet<string>();
        var edges = new HashSet<(string, string)>();
        foreach (string line in markdown[start..end].Split('\n').Skip(1))
        {
            var edge = MermaidEdge().Match(line);
            if (edge.Success)
            {
                nodes.Add(edge.Groups["from"].Value);
                nodes.Add(edge.Groups["to"].Value);
                edges.Add((edge.Groups["from"].Value, edge.Groups["to"].Value));
            }
        }

        return (nodes, edges);
    }

    private static IEnumerable<string> SourceProjects() =>
        Directory.EnumerateDirectories(RepositoryFiles.PathOf("src"))
            .Select(d => Path.Combine(d, Path.GetFileName(d) + ".csproj"))
            .Where(File.Exists);

    private static IEnumerable<string> ProjectReferences(string project) =>
        XDocument.Load(project).Descendants("ProjectReference").Select(e => (string)e.Attribute("Include")!);

    /// <summary>src/Facemoji.Benchmarks.OnnxRuntime/... → BenchmarksOnnxRuntime: the name without the prefix and dots.</summary>
    private static string NodeName(string projectPath) =>
        Path.GetFileNameWithoutExtension(projectPath.Replace('\\', '/')).Replace("Facemoji.", "", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal);

    private static bool IsBuildOutput(string path) =>
        path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
        || path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal);

    [GeneratedRegex("""^\s*(?<from>\w+)(\["[^"]*"\])?\s*-->\s*(?<to>\w+)(\["[^"]*"\])?\s*$""")]
    private static partial Regex MermaidEdge();

    [GeneratedRegex("""InternalsVisibleTo\(\s*"([^"]+)"\s*\)""")]
    private static partial Regex AssemblyFriend();

    [GeneratedRegex("""`((?:src|tests)/[^`\s*]+)`""")]
    private static partial Regex NamedPath();
}
