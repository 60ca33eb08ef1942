namespace RfpioGateway.Scim.Protocol;

public enum SortOrder
{
    Ascending,
    Descending,
}
