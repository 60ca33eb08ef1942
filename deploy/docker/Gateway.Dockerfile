# The gateway image. Build from the repository root:
#   docker build -f deploy/docker/Gateway.Dockerfile -t rfpio/gateway:1.0.0 .
# (Not built on the project machine: it has no container engine and no base-image registry.)
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Gateway/Gateway.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app .
USER $APP_UID
ENV ASPNETCORE_ENVIRONMENT=Production Urls=http://+:8080
EXPOSE 8080
ENTRYPOINT ["dotnet", "RfpioGateway.Gateway.dll"]
