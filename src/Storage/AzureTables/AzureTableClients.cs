using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace RfpioGateway.Storage.AzureTables;

/// <summary>
/// The one Azure Table service client a silo shares between clustering, grain state, the user directory and the
/// activity log, built from either a connection string or a table endpoint plus an Entra ID credential.
/// </summary>
internal static class AzureTableClients
{
    /// <summary>Says what is wrong with the settings, or null when they name exactly one way to reach the account.</summary>
    public static string? Problem(StorageOptions.AzureStorageSettings settings)
    {
        var hasKey = !string.IsNullOrWhiteSpace(settings.ConnectionString);
        var hasUri = settings.TableServiceUri is not null;
        if (hasKey == hasUri)
        {
            return hasKey
                ? "Storage:AzureStorage has both ConnectionString and TableServiceUri; set only one, so it is clear whether the silo uses the account key or its Entra ID identity."
                : "The AzureStorage provider needs Storage:AzureStorage:ConnectionString (an account key) or Storage:AzureStorage:TableServiceUri (the table endpoint, signing in with the silo's Entra ID identity).";
        }
        if (hasUri && !settings.TableServiceUri!.IsAbsoluteUri)
        {
            return $"Storage:AzureStorage:TableServiceUri '{settings.TableServiceUri}' is not an absolute URI such as https://account.table.core.windows.net/.";
        }
        return null;
    }

    /// <summary>
    /// A <see cref="TokenCredential"/> or <see cref="TableClientOptions"/> registered in the container replaces the
    /// default (tests use them to reach an HTTPS emulator); otherwise <c>DefaultAzureCredential</c>, which the
    /// <c>AZURE_TOKEN_CREDENTIALS</c> variable can pin to one credential, such as <c>WorkloadIdentityCredential</c>.
    /// </summary>
    public static TableServiceClient Create(StorageOptions.AzureStorageSettings settings, IServiceProvider services)
    {
        var options = services.GetService<TableClientOptions>() ?? new TableClientOptions();
        if (!string.IsNullOrWhiteSpace(settings.ConnectionString))
        {
            return new TableServiceClient(settings.ConnectionString, options);
        }
        var credential = services.GetService<TokenCredential>() ?? new DefaultAzureCredential();
        return new TableServiceClient(settings.TableServiceUri, credential, options);
    }
}
