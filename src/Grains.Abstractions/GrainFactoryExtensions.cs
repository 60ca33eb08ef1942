namespace RfpioGateway.Grains.Abstractions;

/// <summary>
/// Grain references for the hot paths. Orleans 10.4's <c>GetGrain&lt;T&gt;(key)</c> resolves <c>T</c>'s grain interface
/// type by reading its attributes through reflection on every call (it showed in profiles of the SCIM read path);
/// here the first reference of each interface is made that way and its grain type and interface type are reused.
/// </summary>
public static class GrainFactoryExtensions
{
    public static TGrain Get<TGrain>(this IGrainFactory grains, string key) where TGrain : IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(grains);
        var types = TypesOf<TGrain>.Value;
        if (types is null)
        {
            var first = grains.GetGrain<TGrain>(key);
            var reference = (GrainReference)(object)first;
            TypesOf<TGrain>.Value = new GrainTypes(reference.GrainId.Type, reference.InterfaceType);
            return first;
        }
        return (TGrain)grains.GetGrain(GrainId.Create(types.Grain, key), types.Interface);
    }

    private sealed record GrainTypes(GrainType Grain, GrainInterfaceType Interface);

    // One per interface; a reference assignment, so a racing first call at worst resolves twice.
    private static class TypesOf<TGrain>
    {
        public static GrainTypes? Value;
    }
}
