namespace RfpioGateway.Grains.Tests;

[GenerateSerializer]
public sealed class InjectedStorageFaultException : Exception
{
    public InjectedStorageFaultException()
    {
    }

    public InjectedStorageFaultException(string message) : base(message)
    {
    }

    public InjectedStorageFaultException(string message, Exception inner) : base(message, inner)
    {
    }
}
