namespace RfpioGateway.EndToEnd.Tests;

/// <summary>Where a Chromium-family browser is: <c>RFPIO_CHROMIUM</c> (or <c>CHROME_PATH</c>), then the usual install paths.</summary>
internal static class ChromiumPath
{
    /// <summary>The same list <c>scripts/test.sh</c> looks through.</summary>
    private static readonly string[] Candidates =
    [
        "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable",
        "/snap/bin/chromium", "/opt/google/chrome/chrome",
        "/Applications/Chromium.app/Contents/MacOS/Chromium", "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    ];

    public static string Find() =>
        new[] { Environment.GetEnvironmentVariable("RFPIO_CHROMIUM"), Environment.GetEnvironmentVariable("CHROME_PATH") }
            .Concat(Candidates)
            .FirstOrDefault(path => !string.IsNullOrEmpty(path) && File.Exists(path))
        ?? throw new InvalidOperationException(
            "No Chromium found: set RFPIO_CHROMIUM to its executable, or install it (Debian: apt-get install chromium). " +
            "scripts/test.sh leaves these tests out when it finds none.");
}
