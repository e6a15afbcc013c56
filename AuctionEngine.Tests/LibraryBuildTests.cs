using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using AuctionEngine.Primitives;
using NUnit.Framework;

namespace AuctionEngine.Tests;

/// <summary>
/// The tests run twice in CI: built for net10.0, and built for net8.0 (then run on the installed .NET 10 runtime by
/// roll-forward, the only runtime this machine has). Each pass must test the library's build for its own framework,
/// or the net8.0 pass would prove nothing about the net8.0 build.
/// </summary>
[TestFixture]
public sealed class LibraryBuildTests
{
    [Test]
    public void TheLibraryUnderTestIsTheBuildForTheTestsOwnTargetFramework()
    {
        string library = typeof(Address).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()!.FrameworkName;
        string tests = typeof(LibraryBuildTests).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()!.FrameworkName;
        TestContext.Out.WriteLine($"AuctionEngine built for {library}, running on {RuntimeInformation.FrameworkDescription}");
        Assert.That(library, Is.EqualTo(tests));
    }
}
