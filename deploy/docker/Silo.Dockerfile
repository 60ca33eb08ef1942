# The silo image. Build from the repository root:
#   docker build -f deploy/docker/Silo.Dockerfile -t rfpio/silo:1.0.0 .
# (Not built on the project machine: it has no container engine and no base-image registry.)
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
# ReadyToRun: precompiled code, so a new pod starts on less CPU (the silo: ready in 1.2 s on 1.14 CPU-s instead of
# 1.7 s on 1.5-1.7, docs/benchmarks.md). The same command publishes on the project machine.
RUN dotnet publish src/Silo/Silo.csproj -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app .
# The image's non-root user (uid 1654); the Deployment also sets runAsNonRoot and a read-only root filesystem.
USER $APP_UID
ENV ASPNETCORE_ENVIRONMENT=Production Urls=http://+:8080
EXPOSE 8080 11111 30000
ENTRYPOINT ["dotnet", "RfpioGateway.Silo.dll"]
