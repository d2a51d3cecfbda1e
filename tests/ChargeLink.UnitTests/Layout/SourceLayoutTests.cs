using System.Text.RegularExpressions;
using NUnit.Framework;

namespace ChargeLink.UnitTests.Layout;

/// <summary>
/// The house rules `dotnet format` cannot hold: a line width (.editorconfig's max_line_length, which `make format`
/// wraps to with CSharpier) and small files. Read from the checkout the tests were built from.
/// </summary>
public sealed class SourceLayoutTests
{
    private const int MaxFileLines = 300;

    [Test]
    public void No_line_in_src_is_wider_than_the_editorconfig_says()
    {
        var width = MaxLineLength();
        var wide = SourceFiles()
            .SelectMany(file => File.ReadLines(file).Select((line, index) => (file, line, number: index + 1)))
            .Where(x => x.line.Length > width)
            .Select(x => $"{Relative(x.file)}:{x.number} ({x.line.Length} columns)")
            .ToList();

        Assert.That(wide, Is.Empty, $"lines wider than {width} columns; `make format` wraps code, comments by hand");
    }

    [Test]
    public void No_file_in_src_is_longer_than_300_lines()
    {
        var long_ = SourceFiles()
            .Select(file => (file, lines: File.ReadLines(file).Count()))
            .Where(x => x.lines > MaxFileLines)
            .Select(x => $"{Relative(x.file)} ({x.lines} lines)")
            .ToList();

        Assert.That(long_, Is.Empty, "split by what the parts hold");
    }

    private static int MaxLineLength()
    {
        var match = Regex.Match(
            File.ReadAllText(Path.Combine(Root.FullName, ".editorconfig")),
            @"^\[\*\.cs\][^\[]*?^max_line_length\s*=\s*(\d+)",
            RegexOptions.Multiline | RegexOptions.Singleline
        );
        Assert.That(match.Success, "the [*.cs] section of .editorconfig sets max_line_length");
        return int.Parse(match.Groups[1].Value);
    }

    private static IEnumerable<string> SourceFiles()
    {
        var files = Directory
            .EnumerateFiles(Path.Combine(Root.FullName, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .ToList();
        Assert.That(files, Has.Count.GreaterThan(100), "src/ is where the tests expect it");
        return files;
    }

    private static string Relative(string file) => Path.GetRelativePath(Root.FullName, file);

    private static DirectoryInfo Root
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
                if (File.Exists(Path.Combine(directory.FullName, "ChargeLink.sln")))
                    return directory;
            throw new InvalidOperationException($"no ChargeLink.sln above {AppContext.BaseDirectory}");
        }
    }
}
