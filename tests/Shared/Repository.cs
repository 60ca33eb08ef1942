namespace RfpioGateway.Tests.Shared;

/// <summary>The checkout the tests were built from, found by walking up from the test binaries to RfpioGateway.sln.</summary>
internal static class Repository
{
    public static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "RfpioGateway.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("The repository root (with RfpioGateway.sln) is not above " + AppContext.BaseDirectory);
    }
}
