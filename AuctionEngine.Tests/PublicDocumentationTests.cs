using System.Reflection;
using System.Xml.Linq;
using AuctionEngine.Primitives;
using NUnit.Framework;

namespace AuctionEngine.Tests;

/// <summary>
/// The library's XML documentation file, as the build leaves it (tools/PublicDocumentation trims it) and the package
/// ships it: every public type is documented, and nothing that is not public is.
/// </summary>
[TestFixture]
public sealed class PublicDocumentationTests
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Assembly Library = typeof(Address).Assembly;

    private static readonly string[] Members =
    [
        .. XDocument.Load(Path.Combine(TestContext.CurrentContext.TestDirectory, "AuctionEngine.xml"))
            .Descendants("member").Select(m => (string)m.Attribute("name")!),
    ];

    [Test]
    public void EveryPublicTypeIsDocumented()
    {
        string[] missing = [.. Library.GetExportedTypes().Select(t => "T:" + t.FullName!.Replace('+', '.')).Where(id => !Members.Contains(id))];
        Assert.That(missing, Is.Empty);
    }

    [Test]
    public void NothingButPublicTypesAndTheirPublicOrProtectedMembersIsDocumented()
    {
        var exported = Library.GetExportedTypes().ToDictionary(t => t.FullName!.Replace('+', '.'));
        var problems = new List<string>();
        foreach (string member in Members)
        {
            string name = member[2..];
            if (member.StartsWith("T:", StringComparison.Ordinal))
            {
                if (!exported.ContainsKey(name))
                {
                    problems.Add(member);
                }

                continue;
            }

            string path = name.Split('(')[0];
            int dot = path.LastIndexOf('.');
            if (!exported.TryGetValue(path[..dot], out Type? type) || !HasVisibleMember(type, path[(dot + 1)..].Split("``")[0]))
            {
                problems.Add(member);
            }
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(problems, Is.Empty);
            Assert.That(Members, Has.Length.GreaterThan(exported.Count), "members are documented, not only types");
        }
    }

    private static bool HasVisibleMember(Type type, string name) => name == "#ctor"
        ? type.GetConstructors(Declared).Any(c => c.IsPublic || c.IsFamily || c.IsFamilyOrAssembly)
        : type.GetMember(name, Declared).Any(member => member switch
        {
            MethodBase method => method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly,
            FieldInfo field => field.IsPublic || field.IsFamily || field.IsFamilyOrAssembly,
            PropertyInfo property => property.GetAccessors(nonPublic: true).Any(a => a.IsPublic || a.IsFamily || a.IsFamilyOrAssembly),
            EventInfo @event => @event.AddMethod is { } add && (add.IsPublic || add.IsFamily || add.IsFamilyOrAssembly),
            Type nested => nested.IsVisible,
            _ => false,
        });
}
