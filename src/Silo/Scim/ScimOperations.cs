namespace RfpioGateway.Silo.Scim;

/// <summary>
/// The names of the SCIM operations: the endpoints' names, and so the operation in metrics, span tags and
/// activity records. One list, so the activity filter can offer exactly the names the endpoints carry.
/// </summary>
public static class ScimOperations
{
    public const string ListUsers = "Users.List";
    public const string CreateUser = "Users.Create";
    public const string SearchUsers = "Users.Search";
    public const string GetUser = "Users.Get";
    public const string ReplaceUser = "Users.Replace";
    public const string PatchUser = "Users.Patch";
    public const string DeleteUser = "Users.Delete";
    public const string ListGroups = "Groups.List";
    public const string ServiceProviderConfig = "ServiceProviderConfig";
    public const string ListSchemas = "Schemas.List";
    public const string GetSchema = "Schemas.Get";
    public const string ListResourceTypes = "ResourceTypes.List";
    public const string GetResourceType = "ResourceTypes.Get";

    /// <summary>A request under the SCIM base path that no operation matched (404s, 405s).</summary>
    public const string Other = "other";

    public static readonly string[] All =
        [CreateUser, GetUser, ListUsers, SearchUsers, ReplaceUser, PatchUser, DeleteUser,
         ListGroups, ServiceProviderConfig, ListSchemas, GetSchema, ListResourceTypes, GetResourceType, Other];
}
