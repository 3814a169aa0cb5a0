using System.Diagnostics;
using System.Xml.Linq;

namespace Facemoji.Cli.Tests.Packaging;

/// <summary>
/// The packages <c>make pack</c> writes to dist/nupkg, and an offline NuGet set-up that uses them as a user
/// would: a temporary global-packages folder (so that a package of the same version restored earlier is never
/// taken instead of the one just packed), Facemoji's packages from dist/nupkg only, everything else from this
/// machine's NuGet cache, and no remote source. <c>make test</c> packs first and sets
/// <see cref="RequiredVariable"/>, so there a missing package fails the tests; elsewhere they are skipped.
/// </summary>
public static class LocalPackages
{
    public const string RequiredVariable = "FACEMOJI_PACKAGE_TESTS";

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string Describe() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }

    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Facemoji.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("Facemoji.sln not found above the test folder.");
        }
    }

    public static string Folder => Path.Combine(RepositoryRoot, "dist", "nupkg");

    /// <summary>The one version of the packages: Version in Directory.Build.props.</summary>
    public static string Version =>
        XDocument.Load(Path.Combine(RepositoryRoot, "Directory.Build.props")).Descendants("Version").Single().Value.Trim();

    /// <summary>Skips (or, under make test, fails) unless dist/nupkg holds each package at <see cref="Version"/>.</summary>
    public static void RequirePacked(params string[] packageIds)
    {
        var missing = packageIds.Where(id => !File.Exists(Path.Combine(Folder, $"{id}.{Version}.nupkg"))).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        string message = $"{string.Join(", ", missing.Select(id => $"{id}.{Version}.nupkg"))} not in {Folder}: run make pack";
        if (Environment.GetEnvironmentVariable(RequiredVariable) == "required")
        {
            throw new InvalidOperationException(message);
        }

        Skip.If(true, message);
    }

    /// <summary>
    /// Writes NuGet.config into <paramref name="folder"/>: no source but dist/nupkg for Facemoji's packages and, with
    /// <paramref name="withCache"/>, this machine's NuGet cache (read as a local feed) for their dependencies.
    /// </summary>
    public static void WriteNuGetConfig(string folder, bool withCache)
    {
        string cache = withCache ? GlobalPackagesFolder() : string.Empty;
        var sources = new XElement("packageSources", new XElement("clear"), new XElement("add", new XAttribute("key", "facemoji"), new XAttribute("value", Folder)));
        var configuration = new XElement("configuration", sources);
        if (withCache)
        {
            sources.Add(new XElement("add", new XAttribute("key", "cache"), new XAttribute("value", cache)));
            configuration.Add(new XElement(
                "packageSourceMapping",
                new XElement("packageSource", new XAttribute("key", "facemoji"), new XElement("package", new XAttribute("pattern", "Facemoji.*"))),
                new XElement("packageSource", new XAttribute("key", "cache"), new XElement("package", new XAttribute("pattern", "*")))));
        }

        new XDocument(configuration).Save(Path.Combine(folder, "NuGet.config"));
    }

    /// <summary>Runs a program with NuGet's global-packages folder in <paramref name="folder"/>/packages and no Facemoji or MSBuild settings inherited.</summary>
    public static Result Run(string folder, string workingDirectory, TimeSpan timeout, string program, params string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (string key in start.Environment.Keys.ToList())
        {
            // The test host's MSBuild variables would steer the nested build; FACEMOJI_* would point at the checkout's files.
            if (key.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || key.StartsWith("FACEMOJI_", StringComparison.Ordinal) || key == "DOTNET_HOST_PATH")
            {
                start.Environment.Remove(key);
            }
        }

        start.Environment["NUGET_PACKAGES"] = Path.Combine(folder, "packages");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["NO_COLOR"] = "1";

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish in {timeout.TotalMinutes} minutes.");
        }

        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>This machine's NuGet cache (<c>dotnet nuget locals global-packages --list</c>).</summary>
    private static string GlobalPackagesFolder()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string arg in (string[])["nuget", "locals", "global-packages", "--list"])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("dotnet nuget locals did not finish in 2 minutes.");
        }

        const string Prefix = "global-packages:";
        string line = output.Result.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith(Prefix, StringComparison.Ordinal));
        return line[Prefix.Length..].Trim();
    }
}
