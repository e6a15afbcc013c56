// Checks the packages `dotnet pack` made, as a package user and a debugger meet them. Run by .ci/run:
//   dotnet run .ci/check-package.cs -- check DIR            the .nupkg and .snupkg in DIR
//   dotnet run .ci/check-package.cs -- quickstart DIR OUT   writes PACKAGE.md's quick start and its printed output to OUT
// `check` fails (exit 1, one line per problem) unless the package has its README (PACKAGE.md, with absolute links
// only), the repository URL and commit, XML docs for net8.0 and net10.0 holding public members only, and the symbols
// package has both PDBs with a SourceLink map to that commit on raw.githubusercontent.com and the untracked sources
// embedded; on CI (CI=true) the PDBs' source paths must be the deterministic /_/ ones.
using System.IO.Compression;
using System.Reflection.Metadata;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

const string Repository = "https://github.com/auctionengine/auctionengine";
string[] frameworks = ["net8.0", "net10.0"];
var sourceLinkGuid = new Guid("CC110556-A091-4D38-9FEC-25AB9A351A6A");
var embeddedSourceGuid = new Guid("0E8A571B-6926-466E-B4AD-8AB04611F5FE");

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: check-package.cs check DIR | quickstart DIR OUT");
    return 2;
}

string package = Directory.GetFiles(args[1], "AuctionEngine.*.nupkg").Single();
using ZipArchive nupkg = ZipFile.OpenRead(package);
string readme = Read(nupkg, "PACKAGE.md") ?? "";

if (args[0] == "quickstart")
{
    Match code = Regex.Match(readme, "```csharp\n(.*?)```", RegexOptions.Singleline);
    Match printed = Regex.Match(readme, "It prints:\n\n```text\n(.*?)```", RegexOptions.Singleline);
    Directory.CreateDirectory(args[2]);
    File.WriteAllText(Path.Combine(args[2], "Program.cs"), code.Groups[1].Value);
    File.WriteAllText(Path.Combine(args[2], "expected.txt"), printed.Groups[1].Value);
    return code.Success && printed.Success ? 0 : 1;
}

var problems = new List<string>();
void Expect(bool condition, string problem)
{
    if (!condition)
    {
        problems.Add(problem);
    }
}

// The README users see on nuget.org: PACKAGE.md, whose links must work outside the repository.
XNamespace ns = XDocument.Parse(Read(nupkg, "AuctionEngine.nuspec")!).Root!.Name.Namespace;
XElement metadata = XDocument.Parse(Read(nupkg, "AuctionEngine.nuspec")!).Root!.Element(ns + "metadata")!;
Expect(metadata.Element(ns + "readme")?.Value == "PACKAGE.md", "the nuspec does not name PACKAGE.md as its readme");
Expect(readme.Contains("dotnet add package AuctionEngine", StringComparison.Ordinal), "PACKAGE.md is missing or has no install command");
foreach (Match link in Regex.Matches(readme, @"\]\(([^)]*)\)"))
{
    Expect(link.Groups[1].Value.StartsWith("https://", StringComparison.Ordinal), $"PACKAGE.md links to {link.Groups[1].Value}, which does not work outside the repository");
}

XElement? repository = metadata.Element(ns + "repository");
string commit = repository?.Attribute("commit")?.Value ?? "";
Expect(repository?.Attribute("url")?.Value == Repository, $"the nuspec's repository URL is not {Repository}");
Expect(Regex.IsMatch(commit, "^[0-9a-f]{40}$"), "the nuspec names no commit");
Expect(metadata.Element(ns + "projectUrl")?.Value == Repository, $"the nuspec's project URL is not {Repository}");

// XML docs for each target framework, public members only.
foreach (string framework in frameworks)
{
    Expect(nupkg.GetEntry($"lib/{framework}/AuctionEngine.dll") is not null, $"lib/{framework}/AuctionEngine.dll is missing");
    string? xml = Read(nupkg, $"lib/{framework}/AuctionEngine.xml");
    if (xml is null)
    {
        problems.Add($"lib/{framework}/AuctionEngine.xml is missing");
        continue;
    }

    string[] members = [.. XDocument.Parse(xml).Descendants("member").Select(m => (string)m.Attribute("name")!)];
    Expect(members.Contains("T:AuctionEngine.Clearing.ClearingEngine"), $"{framework} docs lack ClearingEngine");
    Expect(members.Contains("M:AuctionEngine.Primitives.Address.Parse(System.ReadOnlySpan{System.Char})"), $"{framework} docs lack Address.Parse");
    Expect(members.Contains("T:AuctionEngine.Serialization.AddressJsonConverter"), $"{framework} docs lack AddressJsonConverter");
    foreach (string member in members.Where(m => m.Contains(".Internal.", StringComparison.Ordinal) || m.Contains("ThrowHelper", StringComparison.Ordinal) ||
        m.Contains("AuctionEngine.Primitives.Hex", StringComparison.Ordinal) || m.Contains("JsonFields", StringComparison.Ordinal) ||
        m.Replace("#ctor", "", StringComparison.Ordinal).Replace("#cctor", "", StringComparison.Ordinal).Contains('#', StringComparison.Ordinal)))
    {
        problems.Add($"{framework} docs document {member}, which is not public");
    }
}

// Symbols: each PDB maps every source file to the commit on GitHub and embeds what git does not track.
string symbols = Path.ChangeExtension(package, ".snupkg");
if (!File.Exists(symbols))
{
    problems.Add("the symbols package (.snupkg) is missing");
}
else
{
    using ZipArchive snupkg = ZipFile.OpenRead(symbols);
    foreach (string framework in frameworks)
    {
        ZipArchiveEntry? entry = snupkg.GetEntry($"lib/{framework}/AuctionEngine.pdb");
        if (entry is null)
        {
            problems.Add($"the symbols package lacks lib/{framework}/AuctionEngine.pdb");
            continue;
        }

        using var pdb = new MemoryStream();
        using (Stream stream = entry.Open())
        {
            stream.CopyTo(pdb);
        }

        pdb.Position = 0;
        using MetadataReaderProvider provider = MetadataReaderProvider.FromPortablePdbStream(pdb);
        MetadataReader reader = provider.GetMetadataReader();
        string? sourceLink = null;
        int embedded = 0;
        foreach (CustomDebugInformationHandle handle in reader.CustomDebugInformation)
        {
            CustomDebugInformation information = reader.GetCustomDebugInformation(handle);
            Guid kind = reader.GetGuid(information.Kind);
            if (kind == sourceLinkGuid)
            {
                sourceLink = System.Text.Encoding.UTF8.GetString(reader.GetBlobBytes(information.Value));
            }
            else if (kind == embeddedSourceGuid)
            {
                embedded++;
            }
        }

        string[] urls = sourceLink is null ? [] : [.. JsonDocument.Parse(sourceLink).RootElement.GetProperty("documents").EnumerateObject().Select(p => p.Value.GetString()!)];
        Expect(urls.Length > 0, $"{framework} PDB has no SourceLink map");
        Expect(urls.All(url => url == $"https://raw.githubusercontent.com/auctionengine/auctionengine/{commit}/*"), $"{framework} PDB's SourceLink does not point at commit {commit}: {string.Join(", ", urls)}");
        Expect(embedded > 0, $"{framework} PDB embeds no untracked source");
        string[] documents = [.. reader.Documents.Select(d => reader.GetString(reader.GetDocument(d).Name))];
        Expect(documents.Any(d => d.EndsWith("ClearingEngine.cs", StringComparison.Ordinal)), $"{framework} PDB lists no source of the library");
        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            Expect(documents.All(d => d.StartsWith("/_/", StringComparison.Ordinal)), $"{framework} PDB has machine paths, not the deterministic /_/: {documents[0]}");
        }
    }
}

foreach (string problem in problems)
{
    Console.Error.WriteLine($"package: {problem}");
}

Console.WriteLine(problems.Count == 0
    ? $"package: {Path.GetFileName(package)} and its symbols have the README, public XML docs for {string.Join(" and ", frameworks)}, and SourceLink to {commit}"
    : $"package: {problems.Count} problems");
return problems.Count == 0 ? 0 : 1;

static string? Read(ZipArchive archive, string name)
{
    ZipArchiveEntry? entry = archive.GetEntry(name);
    if (entry is null)
    {
        return null;
    }

    using var reader = new StreamReader(entry.Open());
    return reader.ReadToEnd();
}
