namespace RfpioGateway.Scim.Schemas;

/// <summary>
/// The schemas this service speaks, as data: RFC 7643 §4.1 User, §4.3 EnterpriseUser, §4.2 Group, and the
/// common attributes of §3.1. Everything else (validation, PATCH, filters, projection, discovery) reads these.
/// </summary>
public static class ScimSchemas
{
    public const string UserUrn = "urn:ietf:params:scim:schemas:core:2.0:User";
    public const string EnterpriseUserUrn = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    public const string GroupUrn = "urn:ietf:params:scim:schemas:core:2.0:Group";

    private static readonly string[] ExternalReference = ["external"];
    private static readonly string[] UserOrGroupReference = ["User", "Group"];

    /// <summary><c>id</c>, <c>externalId</c> and <c>meta</c>: part of every resource, in no schema's attribute list.</summary>
    public static IReadOnlyList<AttributeDefinition> CommonAttributes { get; } =
    [
        new()
        {
            Name = "id", CaseExact = true, Mutability = Mutability.ReadOnly, Returned = Returned.Always,
            Uniqueness = Uniqueness.Server,
            Description = "Unique identifier for the SCIM resource as defined by the service provider.",
        },
        new()
        {
            Name = "externalId", CaseExact = true,
            Description = "Identifier of the resource as defined by the provisioning client.",
        },
        new()
        {
            Name = "meta", Type = AttributeType.Complex, Mutability = Mutability.ReadOnly,
            Description = "Resource metadata.",
            SubAttributes =
            [
                ReadOnlyString("resourceType", caseExact: true),
                new() { Name = "created", Type = AttributeType.DateTime, Mutability = Mutability.ReadOnly },
                new() { Name = "lastModified", Type = AttributeType.DateTime, Mutability = Mutability.ReadOnly },
                new()
                {
                    Name = "location", Type = AttributeType.Reference, CaseExact = true, Mutability = Mutability.ReadOnly,
                    ReferenceTypes = ["uri"],
                },
                ReadOnlyString("version", caseExact: true),
            ],
        },
        new()
        {
            // Not an attribute in RFC 7643, but RFC 7644 §3.4.2.2 filters on it ("schemas eq …") and it is
            // always returned. Read-only, so input is ignored; the renderer writes it.
            Name = "schemas", Type = AttributeType.Reference, MultiValued = true, CaseExact = true,
            Mutability = Mutability.ReadOnly, Returned = Returned.Always, ReferenceTypes = ["uri"],
        },
    ];

    public static SchemaDefinition User { get; } = new(
        UserUrn,
        "User",
        "User Account",
        [
            new()
            {
                Name = "userName", Required = true, Uniqueness = Uniqueness.Server,
                Description = "Unique identifier for the User, typically used by the user to directly authenticate.",
            },
            new()
            {
                Name = "name", Type = AttributeType.Complex, Description = "The components of the user's real name.",
                SubAttributes =
                [
                    Text("formatted"), Text("familyName"), Text("givenName"), Text("middleName"),
                    Text("honorificPrefix"), Text("honorificSuffix"),
                ],
            },
            Text("displayName", "The name of the User, suitable for display to end-users."),
            Text("nickName", "The casual way to address the user in real life."),
            new()
            {
                Name = "profileUrl", Type = AttributeType.Reference, ReferenceTypes = ExternalReference,
                Description = "A fully qualified URL pointing to a page representing the User's online profile.",
            },
            Text("title", "The user's title, such as \"Vice President\"."),
            Text("userType", "Used to identify the relationship between the organization and the user."),
            Text("preferredLanguage", "The User's preferred written or spoken language."),
            Text("locale", "Used to indicate the User's default location for localization."),
            Text("timezone", "The User's time zone in the 'Olson' time zone database format."),
            new() { Name = "active", Type = AttributeType.Boolean, Description = "The User's administrative status." },
            new()
            {
                Name = "password", Mutability = Mutability.WriteOnly, Returned = Returned.Never,
                Description = "The User's cleartext password. Never stored or returned by this service.",
            },
            MultiValuedComplex("emails", "Email addresses for the user.", ["work", "home", "other"]),
            MultiValuedComplex("phoneNumbers", "Phone numbers for the User.", ["work", "home", "mobile", "fax", "pager", "other"]),
            MultiValuedComplex("ims", "Instant messaging addresses for the User.", ["aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"]),
            MultiValuedComplex("photos", "URLs of photos of the User.", ["photo", "thumbnail"], valueType: AttributeType.Reference),
            new()
            {
                Name = "addresses", Type = AttributeType.Complex, MultiValued = true,
                Description = "A physical mailing address for this User.",
                SubAttributes =
                [
                    Text("formatted"), Text("streetAddress"), Text("locality"), Text("region"), Text("postalCode"),
                    Text("country"),
                    new() { Name = "type", CanonicalValues = ["work", "home", "other"] },
                    new() { Name = "primary", Type = AttributeType.Boolean },
                ],
            },
            new()
            {
                Name = "groups", Type = AttributeType.Complex, MultiValued = true, Mutability = Mutability.ReadOnly,
                Description = "A list of groups to which the user belongs.",
                SubAttributes =
                [
                    ReadOnlyString("value"),
                    new()
                    {
                        Name = "$ref", Type = AttributeType.Reference, Mutability = Mutability.ReadOnly,
                        ReferenceTypes = UserOrGroupReference,
                    },
                    ReadOnlyString("display"),
                    new() { Name = "type", Mutability = Mutability.ReadOnly, CanonicalValues = ["direct", "indirect"] },
                ],
            },
            MultiValuedComplex("entitlements", "A list of entitlements for the User.", []),
            MultiValuedComplex("roles", "A list of roles for the User.", []),
            MultiValuedComplex("x509Certificates", "A list of certificates issued to the User.", [], valueType: AttributeType.Binary),
        ]);

    public static SchemaDefinition EnterpriseUser { get; } = new(
        EnterpriseUserUrn,
        "EnterpriseUser",
        "Enterprise User",
        [
            Text("employeeNumber", "Numeric or alphanumeric identifier assigned to a person."),
            Text("costCenter", "Identifies the name of a cost center."),
            Text("organization", "Identifies the name of an organization."),
            Text("division", "Identifies the name of a division."),
            Text("department", "Identifies the name of a department."),
            new()
            {
                Name = "manager", Type = AttributeType.Complex, Description = "The User's manager.",
                SubAttributes =
                [
                    new() { Name = "value", Description = "The id of the SCIM resource representing the User's manager." },
                    new()
                    {
                        Name = "$ref", Type = AttributeType.Reference, ReferenceTypes = ["User"],
                        Description = "The URI of the SCIM resource representing the User's manager.",
                    },
                    ReadOnlyString("displayName"),
                ],
            },
        ]);

    public static SchemaDefinition Group { get; } = new(
        GroupUrn,
        "Group",
        "Group",
        [
            new() { Name = "displayName", Required = true, Description = "A human-readable name for the Group." },
            new()
            {
                Name = "members", Type = AttributeType.Complex, MultiValued = true, Description = "A list of members of the Group.",
                SubAttributes =
                [
                    new() { Name = "value", Mutability = Mutability.Immutable },
                    new()
                    {
                        Name = "$ref", Type = AttributeType.Reference, Mutability = Mutability.Immutable,
                        ReferenceTypes = UserOrGroupReference,
                    },
                    Text("display"),
                    new() { Name = "type", Mutability = Mutability.Immutable, CanonicalValues = UserOrGroupReference },
                ],
            },
        ]);

    public static ResourceTypeDefinition UserResourceType { get; } =
        new("User", "/Users", "User Account", User, [new SchemaExtension(EnterpriseUser, Required: false)]);

    public static ResourceTypeDefinition GroupResourceType { get; } =
        new("Group", "/Groups", "Group", Group, []);

    public static IReadOnlyList<SchemaDefinition> All { get; } = [User, EnterpriseUser, Group];

    public static IReadOnlyList<ResourceTypeDefinition> ResourceTypes { get; } = [UserResourceType, GroupResourceType];

    private static AttributeDefinition Text(string name, string description = "") => new() { Name = name, Description = description };

    private static AttributeDefinition ReadOnlyString(string name, bool caseExact = false) =>
        new() { Name = name, Mutability = Mutability.ReadOnly, CaseExact = caseExact };

    private static AttributeDefinition MultiValuedComplex(
        string name, string description, IReadOnlyList<string> types, AttributeType valueType = AttributeType.String) => new()
        {
            Name = name,
            Type = AttributeType.Complex,
            MultiValued = true,
            Description = description,
            SubAttributes =
            [
                new() { Name = "value", Type = valueType, ReferenceTypes = valueType == AttributeType.Reference ? ExternalReference : [] },
                Text("display"),
                new() { Name = "type", CanonicalValues = types },
                new() { Name = "primary", Type = AttributeType.Boolean },
            ],
        };
}
