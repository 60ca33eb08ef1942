using System.Security.Cryptography;

namespace RfpioGateway.Silo.Hosting;

/// <summary>
/// For a single node without configured secrets: generates a secret once and keeps it in the data folder, so
/// tokens and the operator key survive restarts. A cluster must configure its secrets instead (the silo refuses
/// to start on AzureStorage or Postgres without them), because every silo needs the same ones.
/// </summary>
internal static class LocalSecrets
{
    public static string GetOrCreate(string dataFolder, string name) =>
        GetOrCreate(dataFolder, name, () => Base64Url(RandomNumberGenerator.GetBytes(32)));

    /// <param name="create">Makes the secret the first time (a random key, a PEM).</param>
    public static string GetOrCreate(string dataFolder, string name, Func<string> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        Directory.CreateDirectory(dataFolder);
        var path = Path.Combine(dataFolder, name);
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }
        var secret = create();
        File.WriteAllText(path, secret);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return secret;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
