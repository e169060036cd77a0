//! Swarm (E7): thin commands over `berth_core::swarm`.

use berth_core::compose::tool::ToolLine;
use berth_core::swarm::logs::{ServiceLine, ServiceLogOptions};
use berth_core::swarm::objects::{ObjectForm, ObjectKind, ObjectRow};
use berth_core::swarm::services::{self, ServiceChange, ServiceForm, ServiceRow, TaskRow};
use berth_core::swarm::stacks::StackForm;
use berth_core::swarm::{
    Created, InitForm, JoinForm, JoinTokens, NodeChange, NodeRow, SwarmStatus,
};
use tauri::ipc::Channel;
use tauri::State;

use crate::error::{IpcError, IpcResult};
use crate::state::EngineState;
use crate::streams::{self, Streams};

/// This engine's place in a swarm.
#[tauri::command]
#[specta::specta]
pub async fn swarm_status(state: State<'_, EngineState>) -> IpcResult<SwarmStatus> {
    Ok(state.engine()?.swarm_status().await?)
}

/// `docker swarm init`; the line it equals.
#[tauri::command]
#[specta::specta]
pub async fn swarm_init(state: State<'_, EngineState>, form: InitForm) -> IpcResult<String> {
    Ok(state.engine()?.swarm_init(&form).await?)
}

/// `docker swarm join`.
#[tauri::command]
#[specta::specta]
pub async fn swarm_join(state: State<'_, EngineState>, form: JoinForm) -> IpcResult<String> {
    Ok(state.engine()?.swarm_join(&form).await?)
}

/// `docker swarm leave [--force]`.
#[tauri::command]
#[specta::specta]
pub async fn swarm_leave(state: State<'_, EngineState>, force: bool) -> IpcResult<String> {
    Ok(state.engine()?.swarm_leave(force).await?)
}

/// `docker swarm join-token worker|manager`.
#[tauri::command]
#[specta::specta]
pub async fn swarm_tokens(state: State<'_, EngineState>) -> IpcResult<JoinTokens> {
    Ok(state.engine()?.join_tokens().await?)
}

/// `docker node ls`.
#[tauri::command]
#[specta::specta]
pub async fn swarm_nodes(state: State<'_, EngineState>) -> IpcResult<Vec<NodeRow>> {
    Ok(state.engine()?.list_nodes().await?)
}

/// Drain, pause, activate, promote or demote a node; the line it equals.
#[tauri::command]
#[specta::specta]
pub async fn node_update(
    state: State<'_, EngineState>,
    node: String,
    change: NodeChange,
) -> IpcResult<String> {
    Ok(state.engine()?.update_node(&node, change).await?)
}

/// `docker node rm [--force]`.
#[tauri::command]
#[specta::specta]
pub async fn node_remove(
    state: State<'_, EngineState>,
    node: String,
    force: bool,
) -> IpcResult<String> {
    Ok(state.engine()?.remove_node(&node, force).await?)
}

/// `docker service ls`.
#[tauri::command]
#[specta::specta]
pub async fn services_list(state: State<'_, EngineState>) -> IpcResult<Vec<ServiceRow>> {
    Ok(state.engine()?.list_services().await?)
}

/// `docker service ps SERVICE`.
#[tauri::command]
#[specta::specta]
pub async fn service_tasks(
    state: State<'_, EngineState>,
    service: String,
) -> IpcResult<Vec<TaskRow>> {
    Ok(state.engine()?.service_tasks(&service).await?)
}

/// `docker service scale NAME=N`.
#[tauri::command]
#[specta::specta]
pub async fn service_scale(
    state: State<'_, EngineState>,
    service: String,
    replicas: u32,
) -> IpcResult<String> {
    Ok(state.engine()?.scale_service(&service, replicas).await?)
}

/// `docker service update …`: a rolling update.
#[tauri::command]
#[specta::specta]
pub async fn service_update(
    state: State<'_, EngineState>,
    service: String,
    change: ServiceChange,
) -> IpcResult<String> {
    Ok(state.engine()?.update_service(&service, &change).await?)
}

/// `docker service rollback NAME`.
#[tauri::command]
#[specta::specta]
pub async fn service_rollback(state: State<'_, EngineState>, service: String) -> IpcResult<String> {
    Ok(state.engine()?.rollback_service(&service).await?)
}

/// `docker service rm NAME`.
#[tauri::command]
#[specta::specta]
pub async fn service_remove(state: State<'_, EngineState>, service: String) -> IpcResult<String> {
    Ok(state.engine()?.remove_service(&service).await?)
}

/// `docker service create …`.
#[tauri::command]
#[specta::specta]
pub async fn service_create(
    state: State<'_, EngineState>,
    form: ServiceForm,
) -> IpcResult<Created> {
    Ok(state.engine()?.create_service(&form).await?)
}

/// The `docker service create` line a form equals, or its first problem on
/// its field; no request is made.
#[tauri::command]
#[specta::specta]
pub async fn service_create_line(form: ServiceForm) -> IpcResult<String> {
    Ok(services::plan_service(&form)?.line)
}

/// What a service's logs stream sends.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ServiceLogEvent {
    Lines { lines: Vec<ServiceLine> },
    Ended { error: Option<IpcError> },
}

/// `docker service logs [-f] [--tail N] SERVICE`, every task merged by
/// time; cancel with `stream_cancel`.
#[tauri::command]
#[specta::specta]
pub async fn service_logs(
    state: State<'_, EngineState>,
    streams: State<'_, Streams>,
    options: ServiceLogOptions,
    on_event: Channel<ServiceLogEvent>,
) -> IpcResult<u32> {
    let logs = state.engine()?.service_logs(&options).await?;
    Ok(streams.spawn(streams::forward(
        logs,
        on_event,
        |lines| ServiceLogEvent::Lines { lines },
        |error| ServiceLogEvent::Ended { error },
    )))
}

/// `docker secret ls` or `docker config ls`, each with its users.
#[tauri::command]
#[specta::specta]
pub async fn objects_list(
    state: State<'_, EngineState>,
    kind: ObjectKind,
) -> IpcResult<Vec<ObjectRow>> {
    let engine = state.engine()?;
    Ok(match kind {
        ObjectKind::Secret => engine.list_secrets().await?,
        ObjectKind::Config => engine.list_configs().await?,
    })
}

/// `docker secret|config create NAME FILE|-`.
#[tauri::command]
#[specta::specta]
pub async fn object_create(state: State<'_, EngineState>, form: ObjectForm) -> IpcResult<Created> {
    Ok(state.engine()?.create_object(&form).await?)
}

/// `docker secret|config rm NAME`.
#[tauri::command]
#[specta::specta]
pub async fn object_remove(
    state: State<'_, EngineState>,
    kind: ObjectKind,
    name: String,
) -> IpcResult<String> {
    Ok(state.engine()?.remove_object(kind, &name).await?)
}

/// What `docker stack deploy` sends: the CLI's lines, the line it equals,
/// its end.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum StackDeployEvent {
    Line { line: ToolLine },
    Done { command: String },
    Ended { error: Option<IpcError> },
}

/// `docker stack deploy -c FILE NAME` through the docker CLI; cancel with
/// `stream_cancel`.
#[tauri::command]
#[specta::specta]
pub async fn stack_deploy(
    state: State<'_, EngineState>,
    streams: State<'_, Streams>,
    form: StackForm,
    on_event: Channel<StackDeployEvent>,
) -> IpcResult<u32> {
    let engine = state.engine()?;
    Ok(streams.spawn(async move {
        let ch = on_event.clone();
        let done = engine
            .deploy_stack(&form, |line| {
                let _ = ch.send(StackDeployEvent::Line { line });
            })
            .await;
        match done {
            Ok(command) => {
                let _ = on_event.send(StackDeployEvent::Done { command });
                let _ = on_event.send(StackDeployEvent::Ended { error: None });
            }
            Err(e) => {
                let _ = on_event.send(StackDeployEvent::Ended {
                    error: Some(e.into()),
                });
            }
        }
    }))
}

/// `docker stack rm NAME`.
#[tauri::command]
#[specta::specta]
pub async fn stack_remove(state: State<'_, EngineState>, name: String) -> IpcResult<String> {
    Ok(state.engine()?.remove_stack(&name).await?)
}
