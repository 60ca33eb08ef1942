namespace RfpioGateway.Scim.Patch;

public enum PatchOperationType
{
    Add,
    Replace,
    Remove,
}
